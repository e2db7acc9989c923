package io.flocker.ssh;

import com.jcraft.jsch.Session;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which SSH ciphers libcrypto computes in place of JSch's Java classes:
 * ChaCha20-Poly1305 and AES-GCM, where libcrypto.so.3 is there (else JSch's
 * own classes stay).
 */
final class NativeCiphers {
    private NativeCiphers() {}

    private static Map<String, String> classes() {
        Map<String, String> m = new LinkedHashMap<>();
        if (NativeChaCha20Poly1305.available()) {
            m.put("chacha20-poly1305@openssh.com", NativeChaCha20Poly1305.class.getName());
        }
        if (NativeAesGcm.available()) {
            m.put("aes128-gcm@openssh.com", NativeAesGcm.Aes128.class.getName());
            m.put("aes256-gcm@openssh.com", NativeAesGcm.Aes256.class.getName());
        }
        return m;
    }

    private static final Map<String, String> CLASSES = classes();

    /** Has {@code session} use libcrypto's classes. */
    static void install(Session session) {
        CLASSES.forEach(session::setConfig);
    }

    /** The cipher's name, with "(libcrypto)" when libcrypto computes it. */
    static String describe(String cipher) {
        return cipher != null && CLASSES.containsKey(cipher) ? cipher + " (libcrypto)" : cipher;
    }
}
