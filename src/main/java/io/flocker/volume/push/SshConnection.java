package io.flocker.volume.push;

import com.jcraft.jsch.ChannelExec;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Session;
import io.flocker.node.NodeFraming;
import io.flocker.ssh.ChannelWriter;
import io.flocker.ssh.Destination;
import io.flocker.ssh.HostKeyRefused;
import io.flocker.ssh.ShellQuoting;
import io.flocker.ssh.SshFailed;
import io.flocker.ssh.SshLogin;
import io.flocker.ssh.SshSettings;
import io.flocker.volume.VolumeException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The remote flocker-volume over one SSH login ({@link SshLogin}): its
 * commands run through the agent's node socket there, or by exec of the
 * remote command, and their answers are read as the push protocol frames
 * them. Closing ends the session; every channel is closed by the call that
 * opened it.
 */
public final class SshConnection implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SshConnection.class);
    private final Destination destination;
    private final SshSettings settings;
    private final SshLogin login;
    private final Session session;

    private SshConnection(Destination destination, SshSettings settings, SshLogin login) {
        this.destination = destination;
        this.settings = settings;
        this.login = login;
        this.session = login.session();
    }

    /**
     * Connects and logs in ({@link SshLogin#open}).
     *
     * @throws HostKeyRefused when the server's key is unknown (and not to be
     *     accepted) or has changed: nothing has been sent
     * @throws SshFailed when the connection or the login fails
     */
    public static SshConnection open(Destination destination, SshSettings settings) {
        SshLogin login = SshLogin.open(destination, settings);
        return new SshConnection(destination, settings, login);
    }

    /** Where this connection goes. */
    public Destination destination() {
        return destination;
    }

    /**
     * The cipher the server chose for what we send, and "(libcrypto)" when
     * libcrypto computes it.
     */
    public String cipher() {
        return login.cipher();
    }

    /** Writes a command's standard input; closing is done by the caller of {@link #run}. */
    @FunctionalInterface
    public interface Input {
        void writeTo(OutputStream stdin) throws IOException;
    }

    /**
     * Talks with a running command: may read its answer ({@link
     * RemoteProtocol}: {@code answer.get()} blocks until it is there, and
     * returns null when the command ended without one) before writing its
     * standard input. A command that gives no answer within {@link
     * SshSettings#answerTimeout}, or prints too much else first, fails the
     * whole conversation with {@link RemoteCommandFailed}.
     */
    @FunctionalInterface
    public interface Conversation {
        void talk(OutputStream stdin, java.util.function.Supplier<String> answer) throws IOException;
    }

    /**
     * Runs remote flocker-volume with {@code args} (each quoted), feeding its
     * standard input from {@code input} (or none), and waits for it to end.
     *
     * @return its exit status and output; an {@link IOException} from
     *     {@code input} is kept in the result, since the remote's own error
     *     usually explains it
     */
    public RemoteResult run(List<String> args, Input input) {
        return converse(args, input == null ? null : (stdin, firstLine) -> input.writeTo(stdin), false);
    }

    /**
     * Runs a remote command that only looks (it changes nothing over there),
     * cut off when it has not finished within {@link
     * SshSettings#answerTimeout}. Commands that change state use {@link
     * #run}, which waits: one cut off might still finish afterwards, and
     * what holds would be unknown.
     *
     * @throws RemoteCommandFailed when it is cut off
     */
    public RemoteResult query(List<String> args) {
        return converse(args, null, true);
    }

    /**
     * Like {@link #run}, for a command that answers before it reads: one
     * remote process both says what it has and takes the stream. Its stdout
     * and stderr are read on their own threads, so a chatty remote never
     * stalls the stream. Once the input has ended, the remote has {@link
     * SshSettings#answerTimeout} to finish before it is cut off.
     */
    public RemoteResult converse(List<String> args, Conversation conversation) {
        return converse(args, conversation, true);
    }

    /**
     * How remote commands reach the other side: through the agent's node
     * socket, or by exec of the remote command (and, then, why not the
     * socket). Says what the last command took, or what the next would try.
     */
    public String transport() {
        if (settings.nodeSocket() == null) return "exec of '" + settings.remoteCommand() + "' (no node socket tried)";
        if (socketRefused == null) return "the agent's node socket " + settings.nodeSocket();
        return "exec of '" + settings.remoteCommand() + "' (the node socket " + settings.nodeSocket()
            + " could not be opened: " + socketRefused + ")";
    }

    /** Why the node socket could not be opened, once it could not: then every command here runs by exec. */
    private String socketRefused;
    /** Whether a command went through the node socket: then every later one must, never by exec. */
    private boolean socketUsed;

    /**
     * Goes on the way {@code before} went (a connection made again after one
     * was lost): through the node socket only, or by exec only.
     */
    void sameTransportAs(SshConnection before) {
        socketUsed = before.socketUsed;
        socketRefused = before.socketRefused;
    }

    /** A remote command's channel, with its output read on threads of their own. */
    private record Opened(com.jcraft.jsch.Channel channel, Capture out, Capture err, List<Thread> readers,
                          java.util.function.IntSupplier exitStatus, byte[] preamble) {}

    private Opened open(List<String> args) throws JSchException, IOException {
        if (settings.nodeSocket() != null && socketRefused == null) {
            Opened o = openNodeSocket(args);
            if (o != null) return o;
        }
        String command = ShellQuoting.command(settings.remoteCommand(), args);
        ChannelExec ch;
        try {
            ch = (ChannelExec) session.openChannel("exec");
        } catch (JSchException e) {
            throw new SshFailed("cannot open a channel to " + destination + ": " + e.getMessage(), e);
        }
        try {
            ch.setCommand(command.getBytes(StandardCharsets.UTF_8));
            Capture out = new Capture(ch.getInputStream(), 4 << 20);
            Capture err = new Capture(ch.getErrStream(), 64 << 10);
            ch.connect((int) settings.connectTimeout().toMillis());
            out.start();
            err.start();
            return new Opened(ch, out, err, List.of(out, err), () -> ch.isClosed() ? ch.getExitStatus() : -1, null);
        } catch (JSchException | IOException | RuntimeException e) {
            ch.disconnect();
            throw e;
        }
    }

    // Null when sshd would not open it (no agent there, forwarding off): exec is tried, and never the socket again.
    private Opened openNodeSocket(List<String> args) throws IOException {
        byte[] request;
        try {
            request = NodeFraming.request(args);
        } catch (IllegalArgumentException e) {
            throw new SshFailed("cannot ask the node socket on " + destination + ": " + e.getMessage(), e);
        }
        com.jcraft.jsch.ChannelDirectStreamLocal ch;
        try {
            ch = (com.jcraft.jsch.ChannelDirectStreamLocal) session.openChannel("direct-streamlocal@openssh.com");
        } catch (JSchException e) {
            throw new SshFailed("cannot open a channel to " + destination + ": " + e.getMessage(), e);
        }
        ch.setSocketPath(settings.nodeSocket());
        InputStream in = ch.getInputStream();
        try {
            ch.connect((int) settings.connectTimeout().toMillis());
        } catch (JSchException e) {
            ch.disconnect();
            if (!session.isConnected()) throw new SshFailed("the connection to " + destination + " ended: " + e.getMessage(), e);
            if (socketUsed) {
                // The agent went (a restart?): a command by exec now could reach another pool than the agent's.
                throw new SshFailed("the node socket " + settings.nodeSocket() + " on " + destination + " could not be "
                    + "opened again (" + e.getMessage() + "); not going on by exec in the middle of what it began", e);
            }
            socketRefused = String.valueOf(e.getMessage());
            LOG.info("the node socket {} on {} could not be opened ({}): running '{}' there instead", settings.nodeSocket(),
                destination, socketRefused, settings.remoteCommand());
            return null;
        }
        Capture out = new Capture(null, 4 << 20);
        Capture err = new Capture(null, 64 << 10);
        Demux demux = new Demux(in, out, err, destination + ":" + settings.nodeSocket());
        demux.start();
        socketUsed = true;
        return new Opened(ch, out, err, List.of(demux), demux::status, request);
    }

    // With boundEnd, the remote has answerTimeout to finish once its input ended (a stream taken in
    // whole and then cut off leaves a read-only copy over there at most, which the next push sees).
    private RemoteResult converse(List<String> args, Conversation conversation, boolean boundEnd) {
        Opened o;
        try {
            o = open(args);
        } catch (JSchException | IOException e) {
            throw new SshFailed("running flocker-volume on " + destination + " failed: " + e.getMessage(), e);
        }
        com.jcraft.jsch.Channel ch = o.channel();
        Capture out = o.out();
        ChannelWriter writer = null;
        try {
            IOException inputFailure = null;
            RemoteCommandFailed[] silent = new RemoteCommandFailed[1];
            java.util.function.Supplier<String> answer = () -> {
                try {
                    return out.answer(settings.answerTimeout(), destination);
                } catch (RemoteCommandFailed e) {
                    silent[0] = e;
                    throw e;
                }
            };
            try (OutputStream stdin = writer = new ChannelWriter(ch.getOutputStream(), "ssh-writer")) {
                if (o.preamble() != null) {
                    // JSch holds what is written until a packet is full: the agent must have the request to answer.
                    stdin.write(o.preamble());
                    stdin.flush();
                }
                if (conversation != null) conversation.talk(stdin, answer);
            } catch (IOException e) {
                inputFailure = e;
            }
            // The channel is cut (finally) and its reader and writer threads end with it.
            if (silent[0] != null) throw silent[0];
            if (Thread.currentThread().isInterrupted()) {
                throw new SshFailed("interrupted while running flocker-volume on " + destination + ": stopped"
                    + (inputFailure != null ? " sending (" + inputFailure.getMessage() + ")" : ""), inputFailure);
            }
            // Its input is all there: what is left is the remote's own work, which takes seconds.
            long end = System.nanoTime() + settings.answerTimeout().toNanos();
            boolean deferred = false;
            while (!ch.isClosed()) {
                if (!session.isConnected()) break;
                if (boundEnd && System.nanoTime() > end) {
                    throw new RemoteCommandFailed("flocker-volume on " + destination + " did not finish within "
                        + settings.answerTimeout().toSeconds() + " s of its input ending: cut off", -1, null);
                }
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    // A command that changes state (run) is waited out, as a cut-off one might still finish later.
                    if (boundEnd) throw e;
                    deferred = true;
                }
            }
            if (deferred) Thread.currentThread().interrupt();
            for (Thread t : o.readers()) t.join();
            return new RemoteResult(o.exitStatus().getAsInt(), out.text(), o.err().text(), inputFailure);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SshFailed("interrupted while running flocker-volume on " + destination, e);
        } finally {
            if (writer != null) writer.abandon();
            ch.disconnect();
            // A write blocked in JSch sees the channel broken within its 100 ms poll: no thread outlives the call.
            if (writer != null && !writer.awaitEnd(10_000)) LOG.warn("the writer to {} did not end", destination);
        }
    }

    /**
     * Splits what a node socket answers ({@link NodeFraming}) into standard
     * output and error, as an exec channel gives them, and keeps the exit
     * status; an answer that is not framed ends the reading, and says so on
     * the error side.
     */
    private static final class Demux extends Thread {
        private final InputStream in;
        private final Capture out, err;
        private final String where;
        private volatile int status = -1;
        private boolean exited;

        Demux(InputStream in, Capture out, Capture err, String where) {
            this.in = in;
            this.out = out;
            this.err = err;
            this.where = where;
            setDaemon(true);
            setName("ssh-node-socket");
        }

        int status() {
            return status;
        }

        @Override
        public void run() {
            try (in) {
                java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
                byte[] b = new byte[8192];
                int n;
                while ((n = in.read(b)) > 0) {
                    for (int i = 0; i < n; i++) {
                        if (b[i] != '\n') {
                            if (line.size() >= NodeFraming.MAX_ANSWER_LINE) {
                                throw new NodeFraming.BadRequest("an answer line of more than "
                                    + NodeFraming.MAX_ANSWER_LINE + " bytes");
                            }
                            line.write(b[i]);
                            continue;
                        }
                        NodeFraming.Answer a = NodeFraming.parseAnswer(line.toString(StandardCharsets.UTF_8));
                        line.reset();
                        if (exited) throw new NodeFraming.BadRequest("more after the exit status");
                        if (a instanceof NodeFraming.Answer.Exit x) {
                            status = x.status();
                            exited = true;
                        } else if (a instanceof NodeFraming.Answer.Output o) {
                            byte[] text = (o.text() + "\n").getBytes(StandardCharsets.UTF_8);
                            (o.stream() == 'o' ? out : err).append(text, text.length);
                        }
                    }
                }
            } catch (NodeFraming.BadRequest e) {
                status = -1;
                byte[] text = ("flocker-volume: the node socket " + where + " answered badly: " + e.getMessage() + "\n")
                    .getBytes(StandardCharsets.UTF_8);
                err.append(text, text.length);
            } catch (IOException ignored) {
                // the channel closed
            } finally {
                out.end();
                err.end();
            }
        }
    }

    @Override
    public void close() {
        login.close();
    }

    /** Reads a stream to its end on its own thread, keeping at most {@code limit} bytes (the last ones). */
    private static final class Capture extends Thread {
        private final InputStream in;
        private final int limit;
        private final ByteArrayOutputStream buf = new ByteArrayOutputStream();
        private boolean truncated;

        Capture(InputStream in, int limit) {
            this.in = in;
            this.limit = limit;
            setDaemon(true);
            setName("ssh-capture");
        }

        @Override
        public void run() {
            byte[] b = new byte[8192];
            try (in) {
                int n;
                while ((n = in.read(b)) > 0) append(b, n);
            } catch (IOException ignored) {
                // the channel closed
            } finally {
                end();
            }
        }

        /** Takes {@code n} bytes of output (from its own thread, or from a node socket's {@link Demux}). */
        synchronized void append(byte[] b, int n) {
            if (buf.size() + n > limit) {
                byte[] kept = buf.toByteArray();
                buf.reset();
                int keep = Math.max(0, limit / 2);
                buf.write(kept, Math.max(0, kept.length - keep), Math.min(keep, kept.length));
                truncated = true;
            }
            buf.write(b, 0, n);
            notifyAll();
        }

        synchronized void end() {
            ended = true;
            notifyAll();
        }

        private boolean ended;

        /**
         * The payload of the first answer line, once it has arrived; null when
         * the stream ended without one.
         *
         * @throws RemoteCommandFailed when it is not there within {@code timeout},
         *     or more than {@link RemoteProtocol#MAX_NOISE} bytes of other output came first
         */
        synchronized String answer(java.time.Duration timeout, Destination from) {
            long end = System.nanoTime() + timeout.toNanos();
            try {
                while (true) {
                    RemoteProtocol.Found f = RemoteProtocol.find(buf.toString(StandardCharsets.UTF_8));
                    if (f.complete()) return f.answer();
                    if (f.noise() > RemoteProtocol.MAX_NOISE || truncated) {
                        throw new RemoteCommandFailed("flocker-volume on " + from + " printed more than "
                            + RemoteProtocol.MAX_NOISE + " bytes that are not its answer, starting "
                            + VolumeException.quote(start(buf.toString(StandardCharsets.UTF_8))), -1, null);
                    }
                    if (ended) return null;
                    long left = end - System.nanoTime();
                    if (left <= 0) {
                        String seen = buf.toString(StandardCharsets.UTF_8);
                        boolean unframed = seen.lines().anyMatch(l -> l.startsWith("{"));
                        throw new RemoteCommandFailed("flocker-volume on " + from + " gave no answer within "
                            + timeout.toSeconds() + " s" + (seen.isEmpty() ? "" : " (it printed only "
                            + VolumeException.quote(start(seen)) + ")") + ": cut off"
                            + (unframed ? " (an answer without the " + RemoteProtocol.PREFIX.strip() + " prefix: is "
                                + "flocker-volume over there older than this one?)" : ""), -1, null);
                    }
                    wait(Math.max(1, left / 1_000_000));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RemoteCommandFailed("interrupted while waiting for flocker-volume on " + from, -1, e);
            }
        }

        private static String start(String s) {
            return s.length() > 200 ? s.substring(0, 200) + "..." : s;
        }

        synchronized String text() {
            String s = buf.toString(StandardCharsets.UTF_8);
            return truncated ? "..." + s : s;
        }
    }
}
