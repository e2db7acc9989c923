package io.flocker.volume.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Answer lines told apart from whatever a remote shell prints around them. */
class RemoteProtocolTest {
    @Test
    void theFirstFramedLineIsTheAnswerWhateverCameBefore() {
        String out = "Welcome\u001b[2J\r\n{\"exists\":true}\n" + RemoteProtocol.frame("{\"exists\":false}") + "\r\nlater\n";
        RemoteProtocol.Found f = RemoteProtocol.find(out);
        assertTrue(f.complete());
        assertEquals("{\"exists\":false}", f.answer());
        assertEquals("Welcome\u001b[2J\r\n{\"exists\":true}\n".length(), f.noise());
        assertEquals("{\"exists\":false}", RemoteProtocol.answerIn(out));
    }

    @Test
    void aLineStillArrivingIsNotTakenAsTheAnswerAndCountsAsNoiseOnceItCannotBeOne() {
        RemoteProtocol.Found partial = RemoteProtocol.find("motd\n" + RemoteProtocol.PREFIX + "{\"ex");
        assertFalse(partial.complete());
        assertEquals(5, partial.noise());
        assertEquals(5, RemoteProtocol.find("motd\nflocker-vol").noise(), "the start of the prefix");
        String endless = "x".repeat(100_000);
        assertEquals(100_005, RemoteProtocol.find("motd\n" + endless).noise(), "a long line that is no answer counts");
        assertEquals("{}", RemoteProtocol.answerIn(RemoteProtocol.frame("{}")), "the last line of an ended output needs no newline");
        assertNull(RemoteProtocol.answerIn("{\"exists\":true}\nno answer here\n"));
        assertNull(RemoteProtocol.answerIn(""));
    }

    @Test
    void anAnswerIsOneLine() {
        assertThrows(IllegalArgumentException.class, () -> RemoteProtocol.frame("a\nb"));
    }
}
