package io.flocker.cli;

import io.flocker.node.NodeFraming;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The CLI's side of the agent's control socket ({@link ControlRequests}):
 * {@code push} and {@code handoff} are sent to the local agent, when one
 * serves this node's pool, and its output and exit status come back as if
 * this process had run them. Anything else, or no agent there, or an agent
 * of another pool, and the command runs in this process as before; once the
 * agent has taken the command, it is never run a second time here.
 *
 * <p>{@value #ENV} names the socket ({@code none}: never ask an agent);
 * without it, {@link ControlRequests#DEFAULT_SOCKET}.
 */
final class LocalAgent {
    static final String ENV = "FLOCKER_VOLUME_AGENT";
    private static final Set<String> ROOT_OPTIONS_WITH_VALUE = Set.of("--config", "--pool", "--mountpoint");
    private static final Set<String> HELP = Set.of("-h", "--help", "-V", "--version");

    private LocalAgent() {}

    /**
     * Runs {@code args} through the local agent.
     *
     * @return the exit status; null when this process must run them itself
     */
    static Integer run(String[] args, Map<String, String> env, Path cwd, PrintStream out, PrintStream err) {
        boolean verbose = false;
        int i = 0;
        for (; i < args.length && args[i].startsWith("-"); i++) {
            if (args[i].equals("-v") || args[i].equals("--verbose")) {
                verbose = true;
            } else if (ROOT_OPTIONS_WITH_VALUE.contains(args[i]) && i + 1 < args.length) {
                i++;
            } else {
                return null;
            }
        }
        if (i >= args.length || !ControlRequests.COMMANDS.contains(args[i])) return null;
        for (String a : args) if (HELP.contains(a) || a.startsWith("@")) return null;
        String named = env.get(ENV);
        if ("none".equals(named)) return null;
        Path socket;
        try {
            socket = named == null || named.isEmpty() ? ControlRequests.DEFAULT_SOCKET : cwd.resolve(named);
        } catch (InvalidPathException e) {
            err.println("flocker-volume: " + ENV + " is not a path: " + NodeFraming.printable(named));
            return 2;
        }
        if (!Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) return null;
        String sshAgent = env.getOrDefault("SSH_AUTH_SOCK", "");
        try {
            if (!sshAgent.isBlank()) sshAgent = cwd.resolve(sshAgent).toString();
        } catch (InvalidPathException e) {
            return null; // this process then says what is wrong with it
        }
        List<String> words = new ArrayList<>(List.of("--cwd", cwd.toString(), "--ssh-auth-sock", sshAgent.strip()));
        words.addAll(List.of(args));
        byte[] request;
        try {
            request = NodeFraming.request(words);
        } catch (IllegalArgumentException tooLong) {
            return null;
        }
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            try {
                ch.connect(UnixDomainSocketAddress.of(socket));
                ByteBuffer b = ByteBuffer.wrap(request);
                while (b.hasRemaining()) ch.write(b);
                ch.shutdownOutput();
            } catch (IOException e) {
                // Nothing was taken: no agent listens there (a socket a killed one left), or it refuses this user.
                if (verbose) err.println("flocker-volume: the local agent at " + socket + " cannot be asked (" + e.getMessage()
                    + "): running it here");
                return null;
            }
            String taken = verbose ? "flocker-volume: run by the local agent at " + socket : null;
            return relay(new java.io.BufferedInputStream(Channels.newInputStream(ch)), taken, out, err);
        } catch (IOException e) {
            err.println("flocker-volume: the connection to the local agent at " + socket + " failed before the "
                + args[i] + " ended (" + e.getMessage() + "): the agent's log says how far it got; run it again (a push "
                + "finishes a broken one, a handoff or repair puts an interrupted one right)");
            return 1;
        }
    }

    /** Prints what the agent answers; null when it did not take the command. {@code taken} is said once it did. */
    private static Integer relay(InputStream in, String taken, PrintStream out, PrintStream err) throws IOException {
        String withheld = null;
        boolean told = taken == null;
        while (true) {
            String line = readLine(in);
            if (line == null) {
                if (!told) err.println(taken);
                if (withheld != null) err.println(withheld);
                throw new IOException("it closed the connection without an exit status");
            }
            NodeFraming.Answer a;
            try {
                a = NodeFraming.parseAnswer(line);
            } catch (NodeFraming.BadRequest e) {
                throw new IOException(e.getMessage());
            }
            if (a instanceof NodeFraming.Answer.Exit x) {
                if (x.status() == ControlRequests.NOT_SERVED_HERE && withheld != null) {
                    if (taken != null) err.println(withheld + ": running it here");
                    return null;
                }
                if (!told) err.println(taken);
                if (withheld != null) err.println(withheld);
                out.flush();
                err.flush();
                return x.status();
            }
            NodeFraming.Answer.Output o = (NodeFraming.Answer.Output) a;
            if (o.stream() == 'e' && o.text().startsWith(ControlRequests.NOT_SERVED_PREFIX) && withheld == null) {
                withheld = o.text();
                continue;
            }
            if (!told) {
                told = true;
                err.println(taken);
            }
            if (withheld != null) {
                err.println(withheld);
                withheld = null;
            }
            PrintStream to = o.stream() == 'o' ? out : err;
            to.println(o.text());
            to.flush();
        }
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            int b = in.read();
            if (b < 0) return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
            if (b == '\n') return line.toString(StandardCharsets.UTF_8);
            if (line.size() >= NodeFraming.MAX_ANSWER_LINE) throw new IOException("an answer line longer than "
                + NodeFraming.MAX_ANSWER_LINE + " bytes");
            line.write(b);
        }
    }
}
