package io.flocker.cli;

import java.io.PrintWriter;

/**
 * How the CLI reports a failure: one line, "flocker-volume: what and why",
 * with whatever undoing a half-done step could not undo on the same line;
 * the stack trace only when asked for.
 */
final class Failures {
    private Failures() {}

    static void report(PrintWriter err, Throwable e, boolean verbose) {
        StringBuilder line = new StringBuilder("flocker-volume: ");
        if (FlockerVolume.expected(e)) {
            line.append(e.getMessage());
        } else {
            line.append("internal error: ").append(e);
        }
        for (Throwable s : e.getSuppressed()) line.append("; undoing it failed too: ").append(s.getMessage());
        if (!verbose && !FlockerVolume.expected(e)) line.append(" (-v shows the stack trace)");
        err.println(line.toString().replace('\n', ' ').replace('\r', ' '));
        if (verbose) e.printStackTrace(err);
        err.flush();
    }
}
