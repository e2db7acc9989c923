package io.flocker.volume.push;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class RemoteResultTest {
    @Test
    void theRemotesReasonIsItsLastLineWithItsControlCharactersShownNotObeyed() {
        RemoteResult r = new RemoteResult(1, "", "motd\nflocker-volume: pool \u001b[2J\u001b]0;owned\u0007full\r\n", null);
        assertEquals("pool \\u001b[2J\\u001b]0;owned\\u0007full", r.reason());
        assertEquals("a\tb \\u009b", new RemoteResult(1, "", "a\tb \u009b", null).reason());
        assertEquals("it exited with status 3", new RemoteResult(3, "", "\n", null).reason());
    }
}
