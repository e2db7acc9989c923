package io.flocker.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * A small property-based fuzzer for the parsers of outside input: each
 * target gets {@link #cases()} generated inputs (random, and mutations of
 * valid ones), and its check says what became of each, or fails. One seed
 * per run, printed with the counts, so a failure can be replayed with
 * {@code -Dfuzz.seed=S}; {@code -Dfuzz.cases=N} runs more or fewer.
 */
public final class Fuzz {
    private static final long SEED = Long.getLong("fuzz.seed", new Random().nextLong());
    private static final int CASES = Integer.getInteger("fuzz.cases", 5_000);

    private Fuzz() {}

    public static int cases() {
        return CASES;
    }

    /**
     * Runs {@code check} on {@code cases()} inputs from {@code generate}. The
     * check returns a word for what happened (e.g. "refused", "accepted");
     * anything it throws fails the run, naming the seed, the case and the
     * input. The counts per word go to stdout.
     */
    public static <T> Map<String, Integer> run(String target, Function<Random, T> generate, Function<T, String> check) {
        Random r = new Random(SEED ^ target.hashCode());
        Map<String, Integer> outcomes = new TreeMap<>();
        for (int i = 0; i < CASES; i++) {
            T input = generate.apply(r);
            String outcome;
            try {
                outcome = check.apply(input);
            } catch (Throwable t) {
                AssertionError e = new AssertionError("fuzz " + target + ": case " + i + " of seed " + SEED
                    + " (-Dfuzz.seed=" + SEED + "): " + t + "; input: " + show(input), t);
                throw e;
            }
            outcomes.merge(outcome, 1, Integer::sum);
        }
        System.out.println("FUZZ " + target + ": " + CASES + " cases, seed " + SEED + ", " + outcomes);
        return outcomes;
    }

    private static String show(Object input) {
        String s = input instanceof byte[] b ? hex(b) : String.valueOf(input);
        s = s.length() > 600 ? s.substring(0, 600) + "..." : s;
        StringBuilder out = new StringBuilder();
        for (char c : s.toCharArray()) out.append(c < 0x20 || c == 0x7f ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        return out.toString();
    }

    private static String hex(byte[] b) {
        StringBuilder s = new StringBuilder();
        for (byte x : b) s.append(String.format("%02x", x));
        return s.toString();
    }

    // ---- generators ---------------------------------------------------------

    private static final String[] PIECES = {"", " ", "\n", "\r\n", "\t", "\u0000", "\u001b[31m", "\"", "'", "\\", "/", "..",
        "@", "%", "#", ":", "-", "_", ".", "=", ",", "{", "}", "[", "]", "null", "true", "0", "-1", "9999999999999999999",
        "1e400", "é", "\u202e", "\uD83D\uDE00", "\uD800", "flocker-", "flocker-volume/1 ", "root@", "[::1]", "a".repeat(300)};

    /** Text of up to {@code max} pieces: letters, digits, separators, control and odd Unicode characters. */
    public static String text(Random r, int max) {
        int n = r.nextInt(max + 1);
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < n; i++) {
            switch (r.nextInt(4)) {
                case 0 -> s.append(PIECES[r.nextInt(PIECES.length)]);
                case 1 -> s.append((char) ('a' + r.nextInt(26)));
                case 2 -> s.append((char) ('0' + r.nextInt(10)));
                default -> s.append((char) r.nextInt(0x3000));
            }
        }
        return s.toString();
    }

    /** Up to {@code max} random bytes. */
    public static byte[] bytes(Random r, int max) {
        byte[] b = new byte[r.nextInt(max + 1)];
        r.nextBytes(b);
        return b;
    }

    /** {@code valid} with a few bytes flipped, cut, repeated or inserted. */
    public static byte[] mutate(Random r, byte[] valid) {
        byte[] b = valid.clone();
        int edits = 1 + r.nextInt(4);
        for (int e = 0; e < edits; e++) {
            if (b.length == 0) return bytes(r, 16);
            switch (r.nextInt(5)) {
                case 0 -> b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8));
                case 1 -> b[r.nextInt(b.length)] = (byte) r.nextInt(256);
                case 2 -> b = java.util.Arrays.copyOf(b, r.nextInt(b.length));
                case 3 -> {
                    int at = r.nextInt(b.length);
                    byte[] longer = new byte[b.length + 1 + r.nextInt(8)];
                    System.arraycopy(b, 0, longer, 0, at);
                    for (int i = at; i < at + longer.length - b.length; i++) longer[i] = (byte) r.nextInt(256);
                    System.arraycopy(b, at, longer, at + longer.length - b.length, b.length - at);
                    b = longer;
                }
                default -> {
                    int from = r.nextInt(b.length), len = Math.min(b.length - from, 1 + r.nextInt(16));
                    byte[] longer = java.util.Arrays.copyOf(b, b.length + len);
                    System.arraycopy(b, from, longer, b.length, len);
                    b = longer;
                }
            }
        }
        return b;
    }

    /** {@code valid} mutated as UTF-8 text (the result may hold replacement characters). */
    public static String mutate(Random r, String valid) {
        if (r.nextInt(4) == 0) {
            StringBuilder s = new StringBuilder(valid);
            int at = r.nextInt(s.length() + 1);
            s.insert(at, text(r, 3));
            return s.toString();
        }
        return new String(mutate(r, valid.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
    }

    /** One of {@code choices}. */
    @SafeVarargs
    public static <T> T oneOf(Random r, T... choices) {
        return choices[r.nextInt(choices.length)];
    }
}
