package io.flocker.cli;

import java.io.PrintWriter;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;

/**
 * The lines a pushing node runs here over SSH (receive-state, receive,
 * acquire; see SshRemoteNode), read without picocli when they come in the
 * plain shape it sends. picocli's model of even one command took about 5 s
 * of a receiver's 12 s start in the test guest, and a class-data archive
 * cannot hold picocli (Java 5 class files); a handoff starts three receivers.
 * Anything else (help, an option written another way, a value that looks
 * like an option, a repeated option, a bad number, a wrong count of names)
 * is left to picocli, so what a user sees of a mistake never depends on which
 * reader took the line. What the command then does, and how its failure is
 * reported, is the same code either way.
 */
final class ProtocolLine {
    private ProtocolLine() {}

    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,18}");

    /** The exit code of {@code args} run here, or null when the line is not one read here. */
    static Integer run(Backend backend, PrintWriter out, PrintWriter err, String... args) {
        return run(new FlockerVolume(backend), out, err, args);
    }

    /**
     * The exit code of {@code args} run on {@code shared}'s service (the
     * agent's node socket), with {@code stdin} as the command's standard
     * input; null when the line is not one read here.
     */
    static Integer runShared(FlockerVolume.Session shared, boolean verbose, java.io.InputStream stdin, PrintWriter out,
                             PrintWriter err, String... args) {
        FlockerVolume root = new FlockerVolume(null);
        root.share(shared, stdin);
        root.verbose = verbose;
        return run(root, out, err, args);
    }

    private static Integer run(FlockerVolume root, PrintWriter out, PrintWriter err, String... args) {
        Callable<Integer> command = read(root, args);
        if (command == null) return null;
        root.plainOutput(out, err);
        try {
            return command.call();
        } catch (Exception e) {
            // as FlockerVolume's execution exception handler does for a line picocli read
            Failures.report(err, e, root.verbose);
            return 1;
        } finally {
            out.flush();
            err.flush();
        }
    }

    /** The command {@code args} make, with {@code root}'s options set; null when picocli should read them. */
    static Callable<Integer> read(FlockerVolume root, String[] args) {
        // picocli reads "@FILE" as the words of FILE
        for (String a : args) if (a.startsWith("@")) return null;
        Set<String> seen = new HashSet<>();
        List<String> rootValues = new ArrayList<>();
        int i = 0;
        for (; i < args.length && args[i].startsWith("-"); i++) {
            String a = args[i];
            if (!seen.add(a.equals("-v") ? "--verbose" : a)) return null;
            switch (a) {
                case "-v", "--verbose" -> root.verbose = true;
                case "--config", "--pool", "--mountpoint" -> {
                    String v = value(args, ++i);
                    if (v == null) return null;
                    rootValues.add(v);
                    if (a.equals("--pool")) {
                        root.pool = v;
                    } else {
                        Path p = path(v);
                        if (p == null) return null;
                        if (a.equals("--config")) root.config = p; else root.mountRoot = p;
                    }
                }
                default -> {
                    return null;
                }
            }
        }
        if (i >= args.length) return null;
        String name = args[i];
        // picocli refuses a root option's value that is the name of the command it was given
        if (rootValues.contains(name)) return null;
        Words w = Words.of(args, i + 1);
        if (w == null || w.names.size() != 2) return null;
        switch (name) {
            case "receive-state" -> {
                if (!w.options.isEmpty()) return null;
                ReceiveStateCommand c = new ReceiveStateCommand();
                c.root = root;
                c.owner = w.names.get(0);
                c.name = w.names.get(1);
                return c;
            }
            case "acquire" -> {
                AcquireCommand c = new AcquireCommand();
                c.root = root;
                c.owner = w.names.get(0);
                c.name = w.names.get(1);
                for (String[] o : w.options) {
                    if (!o[0].equals("--image") || o[1] == null) return null;
                    c.image = o[1];
                }
                return c;
            }
            case "receive" -> {
                ReceiveCommand c = new ReceiveCommand();
                c.root = root;
                c.owner = w.names.get(0);
                c.name = w.names.get(1);
                for (String[] o : w.options) {
                    switch (o[0]) {
                        case "--announce", "--no-mount-path" -> {
                            if (o[1] != null) return null;
                            if (o[0].equals("--announce")) c.announce = true; else c.noMountPath = true;
                        }
                        case "--mount-path" -> {
                            if (o[1] == null) return null;
                            c.mountPath = o[1];
                        }
                        case "--keep" -> {
                            // KeepCount's refusals (below 1, not a number) are picocli's to word
                            if (o[1] == null || !DIGITS.matcher(o[1]).matches() || o[1].length() > 9) return null;
                            int keep = Integer.parseInt(o[1]);
                            if (keep < 1) return null;
                            c.keep = keep;
                        }
                        case "--epoch" -> {
                            if (o[1] == null || !DIGITS.matcher(o[1]).matches()) return null;
                            c.epoch = Long.parseLong(o[1]);
                        }
                        default -> {
                            return null;
                        }
                    }
                }
                return c;
            }
            default -> {
                return null;
            }
        }
    }

    /** A command's words after its name: options (with the value that follows those that take one) and names. */
    private record Words(List<String[]> options, List<String> names) {
        private static final Set<String> FLAGS = Set.of("--announce", "--no-mount-path");

        static Words of(String[] args, int from) {
            List<String[]> options = new ArrayList<>();
            List<String> names = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            for (int i = from; i < args.length; i++) {
                String a = args[i];
                if (!a.startsWith("-")) {
                    names.add(a);
                } else if (!seen.add(a)) {
                    return null;
                } else if (FLAGS.contains(a)) {
                    options.add(new String[] {a, null});
                } else {
                    String v = value(args, ++i);
                    if (v == null) return null;
                    options.add(new String[] {a, v});
                }
            }
            return new Words(options, names);
        }
    }

    /** The option value at {@code i}; null when there is none or it looks like an option. */
    private static String value(String[] args, int i) {
        return i < args.length && !args[i].startsWith("-") ? args[i] : null;
    }

    private static Path path(String v) {
        try {
            return Path.of(v);
        } catch (InvalidPathException e) {
            return null;
        }
    }
}
