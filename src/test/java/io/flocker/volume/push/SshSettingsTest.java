package io.flocker.volume.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
}
