package io.flocker.node;

import io.flocker.sockets.SocketAccess;
import io.flocker.sockets.SocketFiles;
import io.flocker.volume.VolumeException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node socket: a unix socket on which other machines' pushes, through
 * SSH's stream forwarding, run the commands a remote command line would
 * ({@link NodeFraming}), served by a {@link Handler} in this process, so
 * that the far side of a push starts nothing.
 *
 * <p>Who may call is a {@link SocketAccess} (the file's mode, then each
 * caller's peer credentials); sshd connects as the user who logged in. A
 * caller has {@link #REQUEST_TIMEOUT} to send its request line; after it, a
 * connection on which the node has waited for the caller (to send more, or
 * to take what was written) for longer than the idle timeout ({@link
 * #IDLE_TIMEOUT} unless told) is cut off, so that a caller gone silent holds
 * no volume's lock for long. Time the command spends working, neither
 * reading nor writing, does not count. Each connection is served on a thread
 * of its own, {@link #MAX_CALLERS} at most.
 *
 * <p>{@link #close} stops accepting, lets the requests in flight finish for
 * up to {@link #STOP_TIMEOUT}, then cuts the rest off (a receive cut off
 * leaves what a broken connection leaves: a resumable part), and removes
 * the socket file. It may be called from any thread, once or more.
 */
public final class NodeServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NodeServer.class);

    /** Where the agent serves, and where a push looks, unless told otherwise. */
    public static final Path DEFAULT_SOCKET = Path.of("/run/flocker/node.sock");
    /** How long {@link #close} waits for requests in flight. */
    public static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    /** At most this many callers are served at once; more are refused (a thread each). */
    public static final int MAX_CALLERS = 64;
    /** How long a caller has to send its request line. */
    public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    /** How long a request may wait on its caller for one read or write, unless told otherwise. */
    public static final Duration IDLE_TIMEOUT = Duration.ofMinutes(5);

    /** Runs one request: what a command line with these words would do, with these streams. */
    @FunctionalInterface
    public interface Handler {
        /** @return the exit status */
        int handle(List<String> args, InputStream stdin, PrintWriter stdout, PrintWriter stderr);
    }

    private final ServerSocketChannel server;
    private final Path socket;
    private final String name;
    private final Object fileKey;
    private final SocketAccess access;
    private final Handler handler;
    private final long idleNanos;
    private final Thread acceptor;
    private final ScheduledExecutorService timer;
    private final Set<Connection> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger counter = new AtomicInteger();
    private volatile boolean closing;

    private NodeServer(ServerSocketChannel server, Path socket, String name, Object fileKey, SocketAccess access,
                       Handler handler, Duration idle) {
        this.server = server;
        this.socket = socket;
        this.name = name;
        this.fileKey = fileKey;
        this.access = access;
        this.handler = handler;
        this.idleNanos = idle.toNanos();
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "flocker-node-timer"));
        this.acceptor = daemon(this::accept, "flocker-node-accept");
        long sweep = Math.max(20, idle.toMillis() / 4);
        timer.scheduleWithFixedDelay(this::cutIdle, sweep, sweep, TimeUnit.MILLISECONDS);
    }

    /**
     * Serves {@code handler} on {@code socket}, making its directory if need
     * be. A socket file left by a server that is gone is replaced.
     *
     * @throws VolumeException when another process serves on {@code socket}, the path is something other
     *     than a socket, the access's group could not reach it, or the socket cannot be made
     */
    public static NodeServer start(Path socket, SocketAccess access, Handler handler) {
        return start(socket, access, handler, IDLE_TIMEOUT);
    }

    /**
     * Serves as {@link #start(Path, SocketAccess, Handler)} does, cutting off
     * a request that waits on its caller for longer than {@code idle}.
     *
     * @throws IllegalArgumentException when {@code idle} is not positive
     */
    public static NodeServer start(Path socket, SocketAccess access, Handler handler, Duration idle) {
        return start(socket, "node socket", access, handler, idle);
    }

    /**
     * Serves as {@link #start(Path, SocketAccess, Handler, Duration)} does,
     * under another name in its messages and log lines ("control socket").
     */
    public static NodeServer start(Path socket, String name, SocketAccess access, Handler handler, Duration idle) {
        if (idle.isNegative() || idle.isZero()) throw new IllegalArgumentException("idle timeout must be positive: " + idle);
        Path path = socket.toAbsolutePath().normalize();
        String what = "the " + name;
        SocketFiles.requireGroupCanReach(path, access, what);
        SocketFiles.prepare(path, access, what, "a flocker-volume agent running already?");
        Path bound = SocketFiles.privateDirectory(path, what).resolve("s");
        ServerSocketChannel server = null;
        try {
            server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(bound));
            Object key = SocketFiles.publish(bound, path, access);
            NodeServer s = new NodeServer(server, path, name, key, access, handler, idle);
            s.acceptor.start();
            return s;
        } catch (IOException | RuntimeException e) {
            if (server != null) {
                try {
                    server.close();
                } catch (IOException undo) {
                    e.addSuppressed(undo);
                }
            }
            throw new VolumeException("cannot serve the " + name + " on " + path + ": " + e, e);
        } finally {
            SocketFiles.dropPrivate(bound);
        }
    }

    /** The socket it serves on. */
    public Path socket() {
        return socket;
    }

    private void accept() {
        while (!closing) {
            SocketChannel ch;
            try {
                ch = server.accept();
            } catch (ClosedChannelException stopped) {
                return;
            } catch (IOException e) {
                if (closing) return;
                LOG.warn("accepting on the {} {} failed: {}", name, socket, e.toString());
                sleep(100);
                continue;
            }
            if (open.size() >= MAX_CALLERS) {
                // Refused on this thread: a line that fits in any socket buffer, then the connection closes.
                LOG.warn("{} {}: refusing a caller: {} are being served already", name, socket, MAX_CALLERS);
                try (ch) {
                    ChannelOutput out = new ChannelOutput(ch, new Waits());
                    out.write(NodeFraming.outputLine('e', "flocker-volume: the " + name + " " + socket
                        + " serves at most " + MAX_CALLERS + " callers at once; try again later"));
                    out.write(NodeFraming.exitLine(1));
                } catch (IOException gone) {
                    // the caller went
                }
                continue;
            }
            Connection c = new Connection(ch, counter.incrementAndGet());
            open.add(c);
            if (closing) {
                c.cut();
                open.remove(c);
                return;
            }
            c.thread.start();
        }
    }

    /** One caller, served on its own thread. */
    private final class Connection {
        final SocketChannel ch;
        final Thread thread;
        final Waits waits = new Waits();
        volatile boolean requestRead;
        volatile boolean idleCut;

        Connection(SocketChannel ch, int n) {
            this.ch = ch;
            this.thread = daemon(this::serve, "flocker-node-" + n);
        }

        void serve() {
            long start = System.nanoTime();
            String request = "(no request)";
            String peer = "an unknown user";
            int status = -1;
            ChannelInput in = new ChannelInput(ch, waits);
            try (ch) {
                try {
                    peer = "user " + ch.getOption(jdk.net.ExtendedSocketOptions.SO_PEERCRED).user().getName();
                } catch (IOException | UnsupportedOperationException e) {
                    // the refusal below says so
                }
                ChannelOutput raw = new ChannelOutput(ch, waits);
                String refused = access.refusal(ch, "the " + name + " " + socket);
                if (refused != null) {
                    LOG.warn("{} {}: {}", name, socket, refused);
                    raw.write(NodeFraming.outputLine('e', "flocker-volume: " + refused));
                    raw.write(NodeFraming.exitLine(status = 1));
                    return;
                }
                ScheduledFuture<?> deadline = timer.schedule(this::cut, REQUEST_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                List<String> args;
                try {
                    byte[] bytes = in.readLine(NodeFraming.MAX_REQUEST);
                    if (bytes == null && in.count() == 0) {
                        // A caller that only looked (another agent checking whether one serves here): nothing to say.
                        request = "(a connection that sent nothing)";
                        return;
                    }
                    if (bytes == null) {
                        throw new NodeFraming.BadRequest("no request line within " + REQUEST_TIMEOUT.toSeconds()
                            + " s (or longer than " + NodeFraming.MAX_REQUEST + " bytes)");
                    }
                    args = NodeFraming.parseRequest(NodeFraming.decodeRequest(bytes));
                } catch (NodeFraming.BadRequest e) {
                    LOG.warn("{} {}: a bad request: {}", name, socket, e.getMessage());
                    raw.write(NodeFraming.outputLine('e', "flocker-volume: " + e.getMessage()));
                    raw.write(NodeFraming.exitLine(status = 2));
                    return;
                } finally {
                    deadline.cancel(false);
                    requestRead = true;
                }
                // Words from outside: shown with their control characters escaped, so they cannot forge log lines.
                request = NodeFraming.printable(String.join(" ", args));
                LineWriter out = new LineWriter(raw, 'o');
                LineWriter err = new LineWriter(raw, 'e');
                try (PrintWriter stdout = new PrintWriter(out); PrintWriter stderr = new PrintWriter(err)) {
                    status = handler.handle(args, in, stdout, stderr);
                }
                raw.write(NodeFraming.exitLine(status));
            } catch (IOException e) {
                // The caller went (or the stop or the idle timeout cut it off): it learns no exit status, as over SSH exec.
                if (idleCut) status = -2;
                LOG.debug("{} {}: the caller's connection ended: {}", name, socket, e.toString());
            } catch (RuntimeException e) {
                LOG.error("{} {}: request {} failed with an internal error", name, socket, request, e);
            } finally {
                open.remove(this);
                // One line per operation: the commands log what they changed, this says who asked and how it ended.
                LOG.info("{} {}: {} for {}: exit status {}{}, {} bytes in, {} ms", name, socket, request, peer, status,
                    status == -1 ? " (the connection ended first)" : status == -2 ? " (cut off: the caller was idle)" : "", in.count(), (System.nanoTime() - start) / 1_000_000);
            }
        }

        void cut() {
            try {
                ch.close();
            } catch (IOException ignored) {
                // closed already
            }
        }
    }

    // The request line has a deadline of its own; after it, any one wait on the caller is bounded.
    private void cutIdle() {
        long now = System.nanoTime();
        for (Connection c : open) {
            long since = c.waits.longest(now);
            if (c.requestRead && since > idleNanos && !c.idleCut) {
                c.idleCut = true;
                LOG.warn("{} {}: cutting off a caller that kept a request waiting for {} s", name, socket,
                    since / 1_000_000_000L);
                c.cut();
            }
        }
    }

    /** When the reads from and the writes to one caller began waiting; 0 when none waits. */
    static final class Waits {
        private volatile long reading;
        private volatile long writing;

        void reading(boolean on) {
            reading = on ? nonZero(System.nanoTime()) : 0;
        }

        void writing(boolean on) {
            writing = on ? nonZero(System.nanoTime()) : 0;
        }

        /** How long the oldest wait going on has lasted, in nanoseconds; 0 when none. */
        long longest(long now) {
            long r = reading, w = writing;
            long since = Math.max(r == 0 ? 0 : now - r, w == 0 ? 0 : now - w);
            return Math.max(0, since);
        }

        private static long nonZero(long t) {
            return t == 0 ? 1 : t;
        }
    }

    /** Stops (see the class comment) and removes the socket file; calling it again does nothing. */
    @Override
    public void close() {
        synchronized (this) {
            if (closing) return;
            closing = true;
        }
        try {
            server.close();
        } catch (IOException e) {
            LOG.warn("closing the {} {} failed: {}", name, socket, e.toString());
        }
        SocketFiles.removeIfSame(socket, fileKey);
        joinQuietly(acceptor, 10_000);
        long end = System.nanoTime() + STOP_TIMEOUT.toNanos();
        for (Connection c : List.copyOf(open)) {
            long left = (end - System.nanoTime()) / 1_000_000;
            if (left > 0) joinQuietly(c.thread, left);
        }
        List<Connection> late = List.copyOf(open);
        if (!late.isEmpty()) {
            LOG.warn("{} {}: cutting off {} request(s) still running {} s into the stop", name, socket, late.size(),
                STOP_TIMEOUT.toSeconds());
            for (Connection c : late) c.cut();
            for (Connection c : late) joinQuietly(c.thread, 10_000);
        }
        timer.shutdownNow();
    }

    private static void joinQuietly(Thread t, long ms) {
        try {
            t.join(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Reads the channel directly: {@code Channels.newInputStream} would hold
     * the channel's blocking lock while it waits, and the answer could not be
     * written meanwhile.
     */
    static final class ChannelInput extends InputStream {
        private final SocketChannel ch;
        private final Waits waits;
        private final ByteBuffer buf = ByteBuffer.allocate(64 << 10);

        ChannelInput(SocketChannel ch, Waits waits) {
            this.ch = ch;
            this.waits = waits;
            buf.flip();
        }

        /** The next line's bytes without its newline, read from the buffer; null at the end or past {@code max}. */
        byte[] readLine(int max) throws IOException {
            java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
            while (line.size() < max) {
                int b = read();
                if (b < 0) return null;
                if (b == '\n') return line.toByteArray();
                line.write(b);
            }
            return null;
        }

        @Override
        public int read() throws IOException {
            if (!fill()) return -1;
            return buf.get() & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) return 0;
            if (!fill()) return -1;
            int n = Math.min(len, buf.remaining());
            buf.get(b, off, n);
            return n;
        }

        private volatile long count;

        /** The bytes read from the caller so far. */
        long count() {
            return count;
        }

        private boolean fill() throws IOException {
            if (buf.hasRemaining()) return true;
            buf.clear();
            int n;
            waits.reading(true);
            try {
                n = ch.read(buf);
            } finally {
                waits.reading(false);
            }
            buf.flip();
            if (n > 0) count += n;
            return n > 0;
        }
    }

    /** Writes whole lines to the channel, one writer at a time. */
    static final class ChannelOutput {
        private final SocketChannel ch;
        private final Waits waits;

        ChannelOutput(SocketChannel ch, Waits waits) {
            this.ch = ch;
            this.waits = waits;
        }

        synchronized void write(byte[] line) throws IOException {
            ByteBuffer b = ByteBuffer.wrap(line);
            waits.writing(true);
            try {
                while (b.hasRemaining()) ch.write(b);
            } finally {
                waits.writing(false);
            }
        }
    }

    /** Text written to it goes out as framed lines of one stream; a line still open goes when it is closed. */
    static final class LineWriter extends java.io.Writer {
        private final ChannelOutput out;
        private final char stream;
        private final StringBuilder line = new StringBuilder();

        LineWriter(ChannelOutput out, char stream) {
            this.out = out;
            this.stream = stream;
        }

        @Override
        public synchronized void write(char[] c, int off, int len) throws IOException {
            for (int i = off; i < off + len; i++) {
                if (c[i] == '\n') {
                    String text = line.toString();
                    line.setLength(0);
                    out.write(NodeFraming.outputLine(stream, text.endsWith("\r") ? text.substring(0, text.length() - 1) : text));
                } else {
                    line.append(c[i]);
                }
            }
        }

        @Override
        public void flush() {
            // whole lines go as they end
        }

        @Override
        public synchronized void close() throws IOException {
            if (line.length() > 0) write(new char[] {'\n'}, 0, 1);
        }
    }
}
