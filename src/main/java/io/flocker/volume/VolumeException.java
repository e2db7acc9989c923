package io.flocker.volume;

/**
 * Something a user asked for could not be done. The message is one line that
 * says what and why, naming the input it is about, so the CLI can print it as
 * it is; subclasses name the conditions a caller can act on.
 */
public class VolumeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public VolumeException(String message) {
        super(message);
    }

    public VolumeException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * {@code text} in single quotes, with control characters escaped so that
     * a hostile name cannot break a message over several lines.
     */
    public static String quote(String text) {
        if (text == null) return "null";
        StringBuilder b = new StringBuilder(text.length() + 2).append('\'');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '\\' -> b.append("\\\\");
                case '\'' -> b.append("\\'");
                default -> {
                    if (c < 0x20 || c == 0x7f || Character.isISOControl(c)) b.append(String.format("\\u%04x", (int) c));
                    else b.append(c);
                }
            }
        }
        return b.append('\'').toString();
    }

    /**
     * {@code text} with every control character (escape sequences, carriage
     * returns, C1 codes) shown as {@code \\uXXXX}: for text from another
     * machine that goes into a message or onto a terminal as it is.
     */
    public static String printable(String text) {
        if (text == null) return "null";
        StringBuilder b = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean control = Character.isISOControl(c) && c != '\t';
            if (control && b == null) b = new StringBuilder(text.length() + 16).append(text, 0, i);
            if (b != null) {
                if (control) b.append(String.format("\\u%04x", (int) c));
                else b.append(c);
            }
        }
        return b == null ? text : b.toString();
    }
}
