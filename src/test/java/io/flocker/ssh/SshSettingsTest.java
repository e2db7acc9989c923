package io.flocker.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class SshSettingsTest {
    @Test
    void offersTheCpusFastestCiphersUnlessTold() {
        SshSettings d = SshSettings.defaults();
        assertEquals(CipherChoice.preferred(), d.cipherList());
        assertEquals("aes256-ctr,chacha20-poly1305@openssh.com",
            d.withCiphers(List.of("aes256-ctr", "chacha20-poly1305@openssh.com")).cipherList());
    }

    @Test
    void anUnknownCipherIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> SshSettings.defaults().withCiphers(List.of("aes128-gcm@openssh.com", "none")));
        assertTrue(e.getMessage().contains("'none'"), e.getMessage());
    }

    @Test
    void theDefaultNodeSocketIsTriedOnlyWithThePlainRemoteCommandUnlessAskedFor() {
        assertEquals(SshSettings.DEFAULT_NODE_SOCKET, SshSettings.defaults().nodeSocket());
        assertEquals(SshSettings.DEFAULT_NODE_SOCKET, SshSettings.defaults().withRemoteCommand(" flocker-volume ").nodeSocket());
        // An agent serves its own pool: a command naming another must not be answered by it.
        assertNull(SshSettings.defaults().withRemoteCommand("flocker-volume --pool tank2").nodeSocket());
        assertEquals("/run/x.sock", SshSettings.defaults().withRemoteCommand("sudo flocker-volume")
            .withNodeSocket("/run/x.sock").nodeSocket());
        assertEquals("/run/x.sock", SshSettings.defaults().withNodeSocket("/run/x.sock")
            .withRemoteCommand("flocker-volume --pool p").nodeSocket(), "a socket asked for stays");
        assertNull(SshSettings.defaults().withNodeSocket(null).nodeSocket());
        assertThrows(IllegalArgumentException.class, () -> SshSettings.defaults().withNodeSocket("run/x.sock"));
    }
}
