package io.flocker.node;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * How a node socket talks, so that a conversation through it has the very
 * shape of flocker-volume run over SSH exec: arguments, standard input,
 * standard output, standard error, exit status.
 *
 * <p>The caller sends one request line, {@code flocker-node/1 ["receive",
 * "--announce", ...]} (the words a remote command line would get), then its
 * standard input to the end (a half-close). The node answers with lines
 * only: {@code o TEXT} is a line of standard output, {@code e TEXT} one of
 * standard error, and the last, {@code x N}, the exit status; then it closes.
 * A connection that ends before {@code x} ended before the command did.
 */
public final class NodeFraming {
    /** Starts the request line; the number is the protocol's version. */
    public static final String REQUEST_PREFIX = "flocker-node/1 ";
    /** The longest request line taken, newline included. */
    public static final int MAX_REQUEST = 16 << 10;
    /** At most this many words in a request. */
    public static final int MAX_WORDS = 32;
    /** The longest answer line a caller takes. */
    public static final int MAX_ANSWER_LINE = 4 << 20;

    private NodeFraming() {}

    /** The request line for {@code args}, newline included. */
    public static byte[] request(List<String> args) {
        if (args.size() > MAX_WORDS) throw new IllegalArgumentException("more than " + MAX_WORDS + " words");
        byte[] line = (REQUEST_PREFIX + new Gson().toJson(args) + "\n").getBytes(StandardCharsets.UTF_8);
        if (line.length > MAX_REQUEST) throw new IllegalArgumentException("a request of more than " + MAX_REQUEST + " bytes");
        return line;
    }

    /**
     * The words of a request line (without its newline).
     *
     * @throws BadRequest saying what is wrong with it
     */
    public static List<String> parseRequest(String line) {
        if (!line.startsWith(REQUEST_PREFIX)) {
            String start = line.length() > 40 ? line.substring(0, 40) + "..." : line;
            throw new BadRequest("not a node request (it must start with '" + REQUEST_PREFIX.strip() + " '): "
                + printable(start));
        }
        JsonElement json;
        // Strict JSON: no comments, single quotes, bare words or trailing values, which a lenient reader would take.
        try (JsonReader r = new JsonReader(new StringReader(line.substring(REQUEST_PREFIX.length())))) {
            r.setStrictness(Strictness.STRICT);
            json = JsonParser.parseReader(r);
            if (r.peek() != JsonToken.END_DOCUMENT) throw new BadRequest("the request's words are followed by more");
        } catch (JsonParseException | IOException | IllegalStateException e) {
            // Gson's own advice (a URL, "use lenient") is for programmers, not for whoever sent the line
            String why = String.valueOf(e.getMessage()).split("\n")[0].replaceAll(" See https?://\\S+", "")
                .replaceAll(" ?Use JsonReader\\.setStrictness\\([^)]*\\)[^.]*\\.?", "");
            throw new BadRequest("the request's words are not JSON: " + printable(why.strip()));
        }
        if (!json.isJsonArray()) throw new BadRequest("the request's words must be a JSON array of strings");
        JsonArray a = json.getAsJsonArray();
        if (a.size() > MAX_WORDS) throw new BadRequest("a request has at most " + MAX_WORDS + " words, not " + a.size());
        List<String> words = new ArrayList<>();
        for (JsonElement e : a) {
            if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
                throw new BadRequest("the request's words must be strings, not " + printable(e.toString()));
            }
            String w = e.getAsString();
            if (w.indexOf('\0') >= 0) throw new BadRequest("a request's word holds a NUL byte");
            words.add(w);
        }
        return words;
    }

    /**
     * A request line's bytes (without its newline) as text.
     *
     * @throws BadRequest when they are not UTF-8: text from outside is never patched up with replacement characters
     */
    public static String decodeRequest(byte[] line) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(line)).toString();
        } catch (CharacterCodingException e) {
            throw new BadRequest("the request line is not UTF-8");
        }
    }

    /** A line of standard output ({@code 'o'}) or error ({@code 'e'}), newline included. */
    public static byte[] outputLine(char stream, String text) {
        if (stream != 'o' && stream != 'e') throw new IllegalArgumentException("stream o or e, not " + stream);
        return (stream + " " + text.replace('\n', ' ') + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /** The last line: the exit status. */
    public static byte[] exitLine(int status) {
        return ("x " + status + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /** One line of an answer, read. */
    public sealed interface Answer {
        /** A line of standard output or error, without its newline. */
        record Output(char stream, String text) implements Answer {}

        /** The exit status. */
        record Exit(int status) implements Answer {}
    }

    /**
     * Reads one answer line (without its newline).
     *
     * @throws BadRequest when it is none of the three kinds
     */
    public static Answer parseAnswer(String line) {
        if (line.length() >= 2 && line.charAt(1) == ' ' && (line.charAt(0) == 'o' || line.charAt(0) == 'e')) {
            return new Answer.Output(line.charAt(0), line.substring(2));
        }
        if (line.startsWith("x ") && line.length() <= 12 && line.substring(2).matches("-?[0-9]{1,9}")) {
            return new Answer.Exit(Integer.parseInt(line.substring(2)));
        }
        String start = line.length() > 80 ? line.substring(0, 80) + "..." : line;
        throw new BadRequest("not a node answer line: " + printable(start));
    }

    /** A malformed request or answer. */
    public static final class BadRequest extends RuntimeException {
        public BadRequest(String message) {
            super(message);
        }
    }

    // Control characters shown as escapes: what comes from outside never drives a terminal or a log.
    public static String printable(String s) {
        StringBuilder b = new StringBuilder("'");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) b.append(String.format("\\x%02x", (int) c)); else b.append(c);
        }
        return b.append('\'').toString();
    }
}
