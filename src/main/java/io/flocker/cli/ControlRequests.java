package io.flocker.cli;

import io.flocker.node.NodeServer;
import io.flocker.volume.VolumeException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What the agent's control socket serves: a local CLI's {@code push} or
 * {@code handoff}, run by the very command classes on the agent's warm
 * volume service, so the CLI pays no cold SSH login or JIT ({@link
 * LocalAgent} is the CLI's side).
 *
 * <p>A request is {@code --cwd DIR --ssh-auth-sock PATH|"" [-v] [--config
 * FILE] [--pool NAME] [--mountpoint DIR] push|handoff ...}: the caller's
 * working directory (its relative paths are resolved there), its ssh-agent,
 * and its root options, which must name the agent's own node, pool and
 * mountpoint; when they do not, the answer is {@link #NOT_SERVED_HERE}
 * with a line starting {@link #NOT_SERVED_PREFIX} and nothing is done, and
 * the CLI runs the command itself. Only root (and the agent's user) may
 * call: whoever may, may push and hand over this node's volumes.
 */
final class ControlRequests implements NodeServer.Handler {
    /** Where the agent serves it, and where the CLI looks, unless told otherwise. */
    static final Path DEFAULT_SOCKET = Path.of("/run/flocker/agent.sock");
    /** The exit status that says: not run, this agent serves another pool or node. */
    static final int NOT_SERVED_HERE = 125;
    static final String NOT_SERVED_PREFIX = "flocker-volume: not served by this agent: ";
    static final Set<String> COMMANDS = Set.of("push", "handoff");

    private final FlockerVolume.Session session;
    private final Path config;
    private final String pool;
    private final Path mountRoot;

    /** @param agent the agent's own root options: the node, pool and mountpoint a caller must name */
    ControlRequests(FlockerVolume.Session session, FlockerVolume agent) {
        this.session = Objects.requireNonNull(session, "session");
        this.config = agent.config.toAbsolutePath().normalize();
        this.pool = agent.pool;
        this.mountRoot = agent.mountRoot.toAbsolutePath().normalize();
    }

    @Override
    public int handle(List<String> args, InputStream stdin, PrintWriter stdout, PrintWriter stderr) {
        if (args.size() < 5 || !args.get(0).equals("--cwd") || !args.get(2).equals("--ssh-auth-sock")) {
            return refuse(stderr, "the control socket takes a request of flocker-volume's CLI (--cwd DIR "
                + "--ssh-auth-sock PATH, then the command line)");
        }
        Path cwd = absolute(args.get(1));
        Path sshAgent = args.get(3).isEmpty() ? null : absolute(args.get(3));
        if (cwd == null || (sshAgent == null && !args.get(3).isEmpty())) {
            return refuse(stderr, "--cwd and --ssh-auth-sock take absolute paths, not "
                + VolumeException.quote(cwd == null ? args.get(1) : args.get(3)));
        }
        List<String> rest = args.subList(4, args.size());
        // picocli would read "@FILE" as the words of FILE, here the agent's file
        for (String w : rest) {
            if (w.startsWith("@")) return refuse(stderr, "the control socket takes no @FILE word: " + VolumeException.quote(w));
        }
        Set<String> given = new java.util.HashSet<>();
        boolean verbose = false;
        // What the caller's CLI runs on when it names none: its defaults, not this agent's.
        FlockerVolume defaults = new FlockerVolume(null);
        Path theirConfig = path(cwd, defaults.config.toString()), theirMounts = path(cwd, defaults.mountRoot.toString());
        String theirPool = defaults.pool;
        int i = 0;
        for (; i < rest.size() && rest.get(i).startsWith("-"); i++) {
            String a = rest.get(i);
            if (a.equals("-v") || a.equals("--verbose")) {
                verbose = true;
                continue;
            }
            if (!Set.of("--config", "--pool", "--mountpoint").contains(a) || i + 1 >= rest.size()) {
                return refuse(stderr, "the control socket takes -v, --config, --pool and --mountpoint before the "
                    + "command, not " + VolumeException.quote(a));
            }
            if (!given.add(a)) return refuse(stderr, a + " is given twice");
            String v = rest.get(++i);
            if (a.equals("--pool")) {
                theirPool = v;
            } else {
                Path p = path(cwd, v);
                if (p == null) return refuse(stderr, a + " takes a path, not " + VolumeException.quote(v));
                if (a.equals("--config")) theirConfig = p; else theirMounts = p;
            }
        }
        if (!theirConfig.equals(config) || !theirPool.equals(pool) || !theirMounts.equals(mountRoot)) {
            stderr.println(NOT_SERVED_PREFIX + "it serves pool " + VolumeException.quote(pool) + " (identity " + config
                + ", mountpoint " + mountRoot + "), not pool " + VolumeException.quote(theirPool) + " (identity "
                + theirConfig + ", mountpoint " + theirMounts + ")");
            return NOT_SERVED_HERE;
        }
        if (i >= rest.size() || !COMMANDS.contains(rest.get(i))) {
            return refuse(stderr, "the control socket runs push and handoff, not "
                + VolumeException.quote(i >= rest.size() ? "" : rest.get(i)));
        }
        FlockerVolume root = new FlockerVolume(null);
        root.share(session, InputStream.nullInputStream());
        root.caller = new FlockerVolume.Caller(cwd, sshAgent);
        List<String> line = new ArrayList<>();
        if (verbose) line.add("-v");
        line.addAll(rest.subList(i, rest.size()));
        String[] words = line.toArray(String[]::new);
        picocli.CommandLine cl = FlockerVolume.commandLine(root, words);
        cl.setExpandAtFiles(false);
        cl.setOut(stdout);
        cl.setErr(stderr);
        return cl.execute(words);
    }

    private static Path absolute(String s) {
        try {
            Path p = Path.of(s);
            return p.isAbsolute() ? p.normalize() : null;
        } catch (InvalidPathException e) {
            return null;
        }
    }

    private static Path path(Path cwd, String s) {
        try {
            return cwd.resolve(s).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            return null;
        }
    }

    private static int refuse(PrintWriter err, String why) {
        err.println("flocker-volume: " + why);
        return 2;
    }
}
