package io.flocker.cli;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Where the library's log lines go when the CLI runs: stderr, through
 * slf4j-simple (the CLI jar's binding; the library has none). A short
 * command logs errors only: its failure is the one line it prints, and the
 * library's warnings about it (an undo, say) would make that two. With
 * {@code -v} it logs what changed (INFO), as the plugin, which runs for
 * long, always does, with the time. {@value #ENV} sets the level; JVM
 * options ({@code -Dorg.slf4j.simpleLogger.*}) win over both.
 */
final class CliLogging {
    private CliLogging() {}

    static final String ENV = "FLOCKER_VOLUME_LOG";
    private static final String P = "org.slf4j.simpleLogger.";
    private static final List<String> LEVELS = List.of("off", "error", "warn", "info", "debug", "trace");

    /**
     * Sets slf4j-simple's properties in {@code props} for {@code args}, each
     * unless already set. Must run before the first logger is made.
     *
     * @return null, or the error when {@value #ENV} names no level
     */
    static String configure(String[] args, Map<String, String> env, Properties props) {
        String command = commandOf(args);
        boolean service = "plugin".equals(command) || "agent".equals(command);
        String level = service || verbose(args) ? "info" : "error";
        String asked = env.get(ENV);
        if (asked != null && !asked.isBlank()) {
            level = asked.strip().toLowerCase(Locale.ROOT);
            if (!LEVELS.contains(level)) {
                return ENV + "=" + asked + " is not a log level: use one of " + String.join(", ", LEVELS);
            }
        }
        props.putIfAbsent(P + "defaultLogLevel", level);
        props.putIfAbsent(P + "logFile", "System.err");
        props.putIfAbsent(P + "showThreadName", Boolean.toString(service));
        props.putIfAbsent(P + "showDateTime", Boolean.toString(service));
        props.putIfAbsent(P + "dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSXXX");
        props.putIfAbsent(P + "showShortLogName", "true");
        // Jetty's start and stop lines say nothing a plugin user acts on.
        props.putIfAbsent(P + "log.org.eclipse.jetty", "warn");
        return null;
    }

    /** Whether a root option before the command asks for -v. */
    static boolean verbose(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--config") || a.equals("--pool") || a.equals("--mountpoint")) {
                i++;
            } else if (a.equals("-v") || a.equals("--verbose")) {
                return true;
            } else if (!a.startsWith("-")) {
                return false;
            }
        }
        return false;
    }

    /**
     * The command {@code args} name: the first word that is not an option or
     * the value of a root option that takes one (as bin/flocker-volume
     * finds it); null when there is none.
     */
    static String commandOf(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--config") || a.equals("--pool") || a.equals("--mountpoint")) {
                i++;
            } else if (!a.startsWith("-")) {
                return a;
            }
        }
        return null;
    }
}
