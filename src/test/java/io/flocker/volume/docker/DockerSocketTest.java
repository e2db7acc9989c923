package io.flocker.volume.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Engine API client against a unix socket that answers as dockerd does, and as it should not. */
class DockerSocketTest {
    @TempDir
    Path dir;

    /** Serves one connection: reads the request head (and a body of its Content-Length), answers {@code answer}, closes. */
    private AtomicReference<String> serveOnce(Path socket, byte[] answer, boolean answerAtAll) throws IOException {
        return serveOnce(socket, answer, answerAtAll, false);
    }

    private AtomicReference<String> serveOnce(Path socket, byte[] answer, boolean answerAtAll, boolean keepOpen)
            throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        AtomicReference<String> request = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try (server; SocketChannel c = server.accept()) {
                StringBuilder got = new StringBuilder();
                ByteBuffer buf = ByteBuffer.allocate(8192);
                while (!got.toString().contains("\r\n\r\n") || !bodyComplete(got.toString())) {
                    buf.clear();
                    if (c.read(buf) < 0) break;
                    got.append(new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8));
                }
                request.set(got.toString());
                if (!answerAtAll) {
                    Thread.sleep(5_000);
                    return;
                }
                c.write(ByteBuffer.wrap(answer));
                if (keepOpen) Thread.sleep(5_000); // as a proxy that keeps connections may
            } catch (IOException | InterruptedException e) {
                request.compareAndSet(null, "server failed: " + e);
            }
        });
        t.setDaemon(true);
        t.start();
        return request;
    }

    private static boolean bodyComplete(String r) {
        int end = r.indexOf("\r\n\r\n");
        var m = java.util.regex.Pattern.compile("Content-Length: (\\d+)").matcher(r);
        return !m.find() || r.substring(end + 4).getBytes(StandardCharsets.UTF_8).length >= Integer.parseInt(m.group(1));
    }

    private DockerTransport.Response ask(byte[] answer, String body) throws IOException {
        Path socket = dir.resolve("d.sock");
        Files.deleteIfExists(socket);
        serveOnce(socket, answer, true);
        return DockerSocket.at("unix://" + socket, false).exchange("POST", "/containers/create?name=x", body, Duration.ofSeconds(10));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void sendsOneRequestWithItsBodyAndReadsALengthDelimitedAnswer() throws Exception {
        Path socket = dir.resolve("d.sock");
        AtomicReference<String> request = serveOnce(socket, bytes("HTTP/1.1 201 Created\r\nContent-Type: application/json\r\n"
            + "Content-Length: 13\r\n\r\n{\"Id\":\"abc\"}\ntrailing"), true);
        DockerTransport.Response r = DockerSocket.at("unix://" + socket, false)
            .exchange("POST", "/containers/create?name=x", "{\"Image\":\"é\"}", Duration.ofSeconds(10));
        assertEquals(new DockerTransport.Response(201, "{\"Id\":\"abc\"}\n"), r);
        String got = request.get();
        assertTrue(got.startsWith("POST /containers/create?name=x HTTP/1.1\r\n"), got);
        assertTrue(got.contains("Connection: close\r\n") && got.contains("Content-Length: 14\r\n"), got);
        assertTrue(got.endsWith("\r\n\r\n{\"Image\":\"é\"}"), "the body in UTF-8: " + got);
    }

    @Test
    void readsChunkedAndCloseDelimitedAnswers() throws Exception {
        assertEquals(new DockerTransport.Response(200, "[{\"Id\":\"a\"}]"), ask(bytes("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "5\r\n[{\"Id\r\n6;ext=1\r\n\":\"a\"}\r\n1\r\n]\r\n0\r\n\r\n"), null));
        assertEquals(new DockerTransport.Response(404, "{\"message\":\"No such container\"}"),
            ask(bytes("HTTP/1.0 404 Not Found\r\n\r\n{\"message\":\"No such container\"}"), null));
        assertEquals(new DockerTransport.Response(204, ""), ask(bytes("HTTP/1.1 204 No Content\r\n\r\n"), null));
    }

    @Test
    void aMalformedOrCutAnswerIsAnErrorNotAGuess() {
        for (String bad : new String[] {
            "", "garbage\r\n\r\n", "HTTP/1.1 2000 OK\r\n\r\n", "HTTP/1.1 200 OK\r\nno colon\r\n\r\n",
            "HTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\nshort", "HTTP/1.1 200 OK\r\nContent-Length: lots\r\n\r\n",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabXX0\r\n\r\n", "HTTP/1.1 200 OK\r\n",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n7ffffffffffffffe\r\nab\r\n0\r\n\r\n",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n7fffffffffffffff\r\nab\r\n0\r\n\r\n",
            "HTTP/1.1 200 OK\r\nContent-Length: -3\r\n\r\nabc"}) {
            IOException e = assertThrows(IOException.class, () -> ask(bytes(bad), null), bad);
            assertTrue(e.getMessage().startsWith("the Docker daemon's"), e.getMessage());
        }
    }

    @Test
    void aWholeAnswerIsTakenWithoutWaitingForTheConnectionToClose() throws Exception {
        for (String answer : new String[] {"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n[]",
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n[]\r\n0\r\n\r\n"}) {
            Path socket = dir.resolve("open.sock");
            Files.deleteIfExists(socket);
            serveOnce(socket, bytes(answer), true, true);
            long t0 = System.nanoTime();
            DockerTransport.Response r = DockerSocket.at("unix://" + socket, false)
                .exchange("GET", "/containers/json", null, Duration.ofSeconds(10));
            assertEquals(new DockerTransport.Response(200, "[]"), r);
            assertTrue(System.nanoTime() - t0 < 3_000_000_000L, "not waiting for the close");
        }
    }

    @Test
    void aDaemonThatNeverAnswersTimesOut() throws Exception {
        Path socket = dir.resolve("silent.sock");
        serveOnce(socket, null, false);
        long t0 = System.nanoTime();
        SocketTimeoutException e = assertThrows(SocketTimeoutException.class,
            () -> DockerSocket.at("unix://" + socket, false).exchange("GET", "/containers/json", null, Duration.ofMillis(500)));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ms >= 400 && ms < 4_000, ms + " ms");
        assertTrue(e.getMessage().contains("did not answer in time"), e.getMessage());
    }

    @Test
    void aMissingSocketIsAnIoError() {
        assertThrows(IOException.class, () -> DockerSocket.at("unix://" + dir.resolve("none.sock"), false)
            .exchange("GET", "/_ping", null, Duration.ofSeconds(2)));
    }

    @Test
    void hostsOtherThanAUnixSocketOrPlainTcpAreRefusedByName() {
        for (String host : new String[] {"ssh://me@box", "https://box:2376", "unix://", "tcp://box", "::"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DockerSocket.at(host, false), host);
            assertTrue(e.getMessage().contains("'" + host + "'"), e.getMessage());
        }
        IllegalArgumentException tls = assertThrows(IllegalArgumentException.class, () -> DockerSocket.at("tcp://box:2376", true));
        assertTrue(tls.getMessage().contains("TLS"), tls.getMessage());
        DockerSocket.at("tcp://127.0.0.1:2375", false);
    }
}
