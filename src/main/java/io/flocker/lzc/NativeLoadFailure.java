package io.flocker.lzc;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Says which library a failed JNI load really lacked. The dynamic loader
 * names it ("…/libjniX.so: libzfs.so.6: cannot open shared object file",
 * "…: file too short", "undefined symbol: f"); when it names none, the JNI
 * library itself is what failed (another platform, a damaged jar).
 */
final class NativeLoadFailure {
    private static final Pattern LIBRARY = Pattern.compile("([^\\s:/]+\\.so(?:\\.[0-9]+)*): ");
    private static final Pattern SYMBOL = Pattern.compile("undefined symbol: (\\S+)");

    private NativeLoadFailure() {}

    /**
     * The messages of {@code e} and its causes, outermost first: JavaCPP throws
     * "no jniX in java.library.path" and keeps the loader's own message, which
     * names the library, as the cause.
     */
    static String messages(Throwable e) {
        StringBuilder b = new StringBuilder(String.valueOf(e.getMessage()));
        int depth = 0;
        for (Throwable c = e.getCause(); c != null && c != e && depth < 8; c = c.getCause(), depth++) {
            b.append(" (after: ").append(c.getMessage()).append(')');
        }
        return b.toString();
    }

    /**
     * One line for a user: which library failed, and what is needed.
     *
     * @param expected the system libraries the binding links to, with the package that brings them
     * @param why the loader's message
     */
    static String explain(String expected, String why) {
        String message = String.valueOf(why);
        Matcher s = SYMBOL.matcher(message);
        if (s.find()) {
            return "the installed library lacks " + s.group(1) + " (needed: " + expected + ", not an older release): "
                + message;
        }
        String culprit = null;
        for (Matcher m = LIBRARY.matcher(message); m.find(); ) {
            if (!m.group(1).startsWith("libjni")) culprit = m.group(1);
        }
        if (culprit != null) return culprit + " cannot be loaded (needed: " + expected + "): " + message;
        return "the binding's own JNI library did not load (the jar carries it for linux-x86_64): " + message;
    }
}
