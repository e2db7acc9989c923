package io.flocker.volume.push;

/**
 * The answers a remote flocker-volume gives a pushing node on its standard
 * output are framed: one line, a fixed prefix, then the JSON. Whatever else
 * the remote shell prints first (a profile's echo, a banner) is skipped, up
 * to {@link #MAX_NOISE} bytes, and never taken for an answer.
 */
public final class RemoteProtocol {
    /** Starts every answer line; the number is the protocol's version. */
    public static final String PREFIX = "flocker-volume/1 ";
    /** How much other output may come before the answer. */
    static final int MAX_NOISE = 64 << 10;

    private RemoteProtocol() {}

    /** {@code payload} (one line) as an answer line, without the newline. */
    public static String frame(String payload) {
        if (payload.indexOf('\n') >= 0 || payload.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("an answer is one line");
        }
        return PREFIX + payload;
    }

    /** The outcome of looking for the answer in what has arrived so far. */
    record Found(String answer, long noise, boolean complete) {}

    /**
     * Looks for the first answer line in {@code text}: its payload when there
     * is one; otherwise how many bytes of other output came (a line still
     * arriving is not counted while it may yet be the answer).
     */
    static Found find(String text) {
        int start = 0;
        while (true) {
            int nl = text.indexOf('\n', start);
            if (nl < 0) {
                // A line still arriving counts as noise once it cannot become an answer line.
                String partial = text.substring(start);
                boolean mayBeAnswer = partial.startsWith(PREFIX) || PREFIX.startsWith(partial);
                return new Found(null, mayBeAnswer ? start : text.length(), false);
            }
            String line = text.substring(start, nl);
            if (line.endsWith("\r")) line = line.substring(0, line.length() - 1);
            if (line.startsWith(PREFIX)) return new Found(line.substring(PREFIX.length()), start, true);
            start = nl + 1;
        }
    }

    /** The answer in the whole output of a command that has ended, or null when it gave none. */
    static String answerIn(String output) {
        Found f = find(output.endsWith("\n") ? output : output + "\n");
        return f.answer();
    }
}
