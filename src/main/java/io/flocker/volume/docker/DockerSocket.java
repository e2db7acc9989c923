package io.flocker.volume.docker;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * HTTP/1.1 to the Docker Engine API over its unix socket (or plain TCP),
 * one connection per request, closed by both sides after the answer. The
 * few calls data containers need do not justify a general HTTP client: the
 * JDK's channels do it, and a command that reaches Docker starts seconds
 * sooner under emulation than with docker-java and Jackson loaded.
 *
 * <p>Every wait has a deadline (connecting, and the whole answer), and an
 * answer is checked before use: a status line, headers, a body within
 * {@link #MAX_ANSWER} and, when chunked, well-formed chunks.
 */
final class DockerSocket implements DockerTransport {
    /** The daemon was reached, but what it answered is not HTTP as expected: not a reason to say it is down. */
    static final class BadAnswer extends IOException {
        private static final long serialVersionUID = 1L;

        BadAnswer(String message) {
            super(message);
        }

        BadAnswer(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The largest answer read: a list of thousands of containers fits many times over. */
    static final int MAX_ANSWER = 64 << 20;
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final int MAX_HEAD = 64 << 10;
    private static final java.util.regex.Pattern CONTENT_LENGTH =
        java.util.regex.Pattern.compile("\r\ncontent-length:\\s*([0-9]{1,18})\\s*(\r\n|$)");

    private final SocketAddress address;
    private final String hostHeader;

    private DockerSocket(SocketAddress address, String hostHeader) {
        this.address = address;
        this.hostHeader = hostHeader;
    }

    /**
     * The daemon at {@code host}: {@code unix:///path} or {@code tcp://host:port}.
     *
     * @throws IllegalArgumentException naming the host when it is neither, or when TLS is asked for
     */
    static DockerSocket at(String host, boolean tlsAsked) {
        URI uri;
        try {
            uri = URI.create(host);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Docker host '" + host + "' is not a URI like unix:///var/run/docker.sock", e);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (scheme.equals("unix")) {
            if (uri.getPath() == null || uri.getPath().isEmpty()) {
                throw new IllegalArgumentException("Docker host '" + host + "' names no socket path (unix:///var/run/docker.sock)");
            }
            return new DockerSocket(UnixDomainSocketAddress.of(Path.of(uri.getPath())), "docker");
        }
        if (scheme.equals("tcp") || scheme.equals("http")) {
            if (tlsAsked) {
                throw new IllegalArgumentException("Docker host '" + host + "' with DOCKER_TLS_VERIFY: TLS to the Docker "
                    + "daemon is not supported; use its unix socket (run flocker-volume on the Docker host)");
            }
            if (uri.getHost() == null || uri.getPort() < 0) {
                throw new IllegalArgumentException("Docker host '" + host + "' needs a host and a port (tcp://HOST:2375)");
            }
            return new DockerSocket(new InetSocketAddress(uri.getHost(), uri.getPort()), uri.getHost() + ":" + uri.getPort());
        }
        throw new IllegalArgumentException("Docker host '" + host + "' is not unix:// or tcp:// (other schemes, such as "
            + "ssh:// or https://, are not supported)");
    }

    @Override
    public Response exchange(String method, String path, String jsonBody, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        byte[] body = jsonBody == null ? new byte[0] : jsonBody.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder().append(method).append(' ').append(path).append(" HTTP/1.1\r\n")
            .append("Host: ").append(hostHeader).append("\r\n")
            .append("User-Agent: flocker-volume\r\n")
            .append("Connection: close\r\n");
        if (jsonBody != null) head.append("Content-Type: application/json\r\n");
        if (jsonBody != null || method.equals("POST")) head.append("Content-Length: ").append(body.length).append("\r\n");
        head.append("\r\n");
        byte[] h = head.toString().getBytes(StandardCharsets.US_ASCII);
        ByteBuffer request = ByteBuffer.allocate(h.length + body.length).put(h).put(body).flip();
        try (SocketChannel ch = SocketChannel.open(address instanceof UnixDomainSocketAddress
                ? StandardProtocolFamily.UNIX : ((InetSocketAddress) address).getAddress() instanceof java.net.Inet6Address
                    ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
             Selector selector = Selector.open()) {
            ch.configureBlocking(false);
            long connectBy = Math.min(deadline, System.nanoTime() + CONNECT_TIMEOUT.toNanos());
            boolean connected;
            try {
                connected = ch.connect(address);
            } catch (java.nio.channels.UnresolvedAddressException e) {
                throw new IOException("unknown host " + address, e);
            }
            if (!connected) {
                SelectionKey key = ch.register(selector, SelectionKey.OP_CONNECT);
                while (!ch.finishConnect()) await(selector, connectBy, "connecting");
                key.cancel();
                selector.selectNow();
            }
            SelectionKey key = ch.register(selector, SelectionKey.OP_WRITE);
            while (request.hasRemaining()) {
                if (ch.write(request) == 0) await(selector, deadline, "sending the request");
            }
            key.interestOps(SelectionKey.OP_READ);
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            ByteBuffer buf = ByteBuffer.allocate(64 << 10);
            while (true) {
                int n = ch.read(buf);
                if (n < 0) break;
                if (n == 0) {
                    // Nothing more for now. A proxy in front of the daemon may keep the connection open: a whole
                    // answer is enough. Checked only here, once per wait, not once per chunk read.
                    if (answer.size() > 0 && complete(answer.toByteArray())) break;
                    await(selector, deadline, "waiting for the answer");
                    continue;
                }
                if (answer.size() + buf.position() > MAX_ANSWER + MAX_HEAD) {
                    throw new BadAnswer("the Docker daemon's answer is larger than " + (MAX_ANSWER >> 20) + " MiB");
                }
                answer.write(buf.array(), 0, buf.position());
                buf.clear();
            }
            return parse(answer.toByteArray());
        }
    }

    private static void await(Selector selector, long deadline, String what) throws IOException {
        if (Thread.interrupted()) throw new java.io.InterruptedIOException("interrupted while " + what + " (Docker daemon)");
        long left = deadline - System.nanoTime();
        if (left <= 0) throw new SocketTimeoutException("the Docker daemon did not answer in time (" + what + ")");
        selector.select(Math.max(1, left / 1_000_000));
        selector.selectedKeys().clear();
    }

    /** An answer as read up to the daemon's close: status line, headers, body (chunked or not). */
    static Response parse(byte[] raw) throws IOException {
        int end = indexOf(raw, 0, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        if (end < 0 || end > MAX_HEAD) throw new BadAnswer("the Docker daemon's answer has no complete HTTP head");
        String[] lines = new String(raw, 0, end, StandardCharsets.ISO_8859_1).split("\r\n");
        String[] status = lines[0].split(" ", 3);
        if (status.length < 2 || !status[0].startsWith("HTTP/1.") || !status[1].matches("[1-5][0-9][0-9]")) {
            throw new BadAnswer("the Docker daemon's answer does not start with an HTTP status line: "
                + io.flocker.volume.VolumeException.quote(lines[0].length() > 80 ? lines[0].substring(0, 80) : lines[0]));
        }
        boolean chunked = false;
        long length = -1;
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon <= 0) throw new BadAnswer("the Docker daemon's answer has a malformed header line");
            String name = lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT);
            String value = lines[i].substring(colon + 1).strip();
            if (name.equals("transfer-encoding")) chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
            if (name.equals("content-length")) {
                try {
                    length = Long.parseLong(value);
                } catch (NumberFormatException e) {
                    throw new BadAnswer("the Docker daemon's answer has a Content-Length that is not a number", e);
                }
                if (length < 0) throw new BadAnswer("the Docker daemon's answer has a negative Content-Length");
            }
        }
        int start = end + 4;
        byte[] body;
        if (chunked) {
            body = unchunk(raw, start);
        } else if (length >= 0) {
            if (raw.length - start < length) throw new BadAnswer("the Docker daemon's answer was cut off");
            body = java.util.Arrays.copyOfRange(raw, start, start + (int) length);
        } else {
            body = java.util.Arrays.copyOfRange(raw, start, raw.length);
        }
        return new Response(Integer.parseInt(status[1]), new String(body, StandardCharsets.UTF_8));
    }

    /** Whether {@code raw} holds a whole answer by its own framing (a length, or the last chunk). */
    static boolean complete(byte[] raw) {
        int end = indexOf(raw, 0, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        if (end < 0) return false;
        String head = new String(raw, 0, end, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
        if (head.contains("\r\ntransfer-encoding:") && head.contains("chunked")) {
            try {
                unchunk(raw, end + 4);
                return true;
            } catch (IOException notYet) {
                return false;
            }
        }
        java.util.regex.Matcher m = CONTENT_LENGTH.matcher(head);
        return m.find() && raw.length - end - 4 >= Long.parseLong(m.group(1));
    }

    private static byte[] unchunk(byte[] raw, int at) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] crlf = {'\r', '\n'};
        while (true) {
            int eol = indexOf(raw, at, crlf);
            if (eol < 0 || eol - at > 32) throw new BadAnswer("the Docker daemon's chunked answer was cut off or malformed");
            String size = new String(raw, at, eol - at, StandardCharsets.US_ASCII);
            int semi = size.indexOf(';');
            long n;
            try {
                n = Long.parseLong((semi >= 0 ? size.substring(0, semi) : size).strip(), 16);
            } catch (NumberFormatException e) {
                throw new BadAnswer("the Docker daemon's chunked answer has a bad chunk size", e);
            }
            at = eol + 2;
            if (n == 0) return out.toByteArray();
            if (n < 0 || n > raw.length - at - 2L) throw new BadAnswer("the Docker daemon's chunked answer was cut off");
            out.write(raw, at, (int) n);
            at += (int) n;
            if (raw[at] != '\r' || raw[at + 1] != '\n') throw new BadAnswer("the Docker daemon's chunked answer is malformed");
            at += 2;
        }
    }

    private static int indexOf(byte[] a, int from, byte[] what) {
        outer:
        for (int i = from; i <= a.length - what.length; i++) {
            for (int j = 0; j < what.length; j++) if (a[i + j] != what[j]) continue outer;
            return i;
        }
        return -1;
    }
}
