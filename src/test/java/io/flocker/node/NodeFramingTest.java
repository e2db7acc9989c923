package io.flocker.node;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The node socket's lines: what is sent is read back the same; anything else is refused by what is wrong. */
class NodeFramingTest {
    private static String line(byte[] b) {
        String s = new String(b, StandardCharsets.UTF_8);
        assertTrue(s.endsWith("\n"));
        return s.substring(0, s.length() - 1);
    }

    @Test
    void aRequestIsReadBackWordForWord() {
        List<String> words = List.of("receive", "--announce", "--mount-path", "/var/lib/a b\"c", "x\u00e9\u4e2d");
        assertEquals(words, NodeFraming.parseRequest(line(NodeFraming.request(words))));
        assertEquals(List.of(), NodeFraming.parseRequest(line(NodeFraming.request(List.of()))));
    }

    @Test
    void badRequestsAreRefusedSayingWhy() {
        String[][] cases = {
            {"receive-state a b", "not a node request"},
            {"flocker-node/2 []", "not a node request"},
            {"flocker-node/1 [\"a\"", "not JSON"},
            {"flocker-node/1 {\"a\":1}", "a JSON array of strings"},
            {"flocker-node/1 [1]", "must be strings, not '1'"},
            {"flocker-node/1 [[\"a\"]]", "must be strings"},
            {"flocker-node/1 [\"a\\u0000b\"]", "NUL"},
            {"\u001b[2Jflocker", "'\\x1b[2Jflocker'"},
            // What a lenient JSON reader would take: none of it is JSON.
            {"flocker-node/1 ['a']", "not JSON"},
            {"flocker-node/1 [a]", "not JSON"},
            {"flocker-node/1 [\"a\",]", "not JSON"},
            {"flocker-node/1 [\"a\" \"b\"]", "not JSON"},
            {"flocker-node/1 [\"a\"] [\"b\"]", "not JSON"},
            {"flocker-node/1 [\"a\"]x", "not JSON"},
            {"flocker-node/1 /*c*/[\"a\"]", "not JSON"},
        };
        for (String[] c : cases) {
            NodeFraming.BadRequest e = assertThrows(NodeFraming.BadRequest.class, () -> NodeFraming.parseRequest(c[0]), c[0]);
            assertTrue(e.getMessage().contains(c[1]), c[0] + ": " + e.getMessage());
        }
        assertEquals(List.of("a"), NodeFraming.parseRequest("flocker-node/1  [ \"a\" ] "), "JSON's own spaces are fine");
        String lenient = assertThrows(NodeFraming.BadRequest.class, () -> NodeFraming.parseRequest("flocker-node/1 ['a']"))
            .getMessage();
        assertFalse(lenient.contains("http") || lenient.contains("setStrictness"), "no advice for programmers: " + lenient);
        List<String> many = new ArrayList<>(Collections.nCopies(NodeFraming.MAX_WORDS + 1, "w"));
        String tooMany = NodeFraming.REQUEST_PREFIX + new com.google.gson.Gson().toJson(many);
        assertTrue(assertThrows(NodeFraming.BadRequest.class, () -> NodeFraming.parseRequest(tooMany)).getMessage()
            .contains("at most " + NodeFraming.MAX_WORDS + " words"));
        assertThrows(IllegalArgumentException.class, () -> NodeFraming.request(many));
        assertThrows(IllegalArgumentException.class, () -> NodeFraming.request(List.of("x".repeat(NodeFraming.MAX_REQUEST))));
    }

    @Test
    void aRequestLineMustBeUtf8() {
        assertEquals("flocker-node/1 [\"\u00e9\"]",
            NodeFraming.decodeRequest("flocker-node/1 [\"\u00e9\"]".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        byte[][] bad = {{'[', '"', (byte) 0xc3, '"', ']'}, {(byte) 0xff}, {(byte) 0xed, (byte) 0xa0, (byte) 0x80}};
        for (byte[] b : bad) {
            assertEquals("the request line is not UTF-8",
                assertThrows(NodeFraming.BadRequest.class, () -> NodeFraming.decodeRequest(b)).getMessage());
        }
    }

    @Test
    void answerLinesAreOutputErrorOrTheExitStatus() {
        assertEquals(new NodeFraming.Answer.Output('o', "flocker-volume/1 {}"),
            NodeFraming.parseAnswer(line(NodeFraming.outputLine('o', "flocker-volume/1 {}"))));
        assertEquals(new NodeFraming.Answer.Output('e', "a\rb c"), NodeFraming.parseAnswer(line(NodeFraming.outputLine('e', "a\rb\nc"))));
        assertEquals(new NodeFraming.Answer.Output('o', ""), NodeFraming.parseAnswer("o "));
        assertEquals(new NodeFraming.Answer.Exit(0), NodeFraming.parseAnswer(line(NodeFraming.exitLine(0))));
        assertEquals(new NodeFraming.Answer.Exit(-1), NodeFraming.parseAnswer("x -1"));
        for (String bad : List.of("", "o", "x", "x 1e3", "x 99999999999", "q text", "otext", "x  1")) {
            assertThrows(NodeFraming.BadRequest.class, () -> NodeFraming.parseAnswer(bad), bad);
        }
        assertThrows(IllegalArgumentException.class, () -> NodeFraming.outputLine('x', "1"));
    }
}
