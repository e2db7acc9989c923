package io.flocker.ssh;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.jcraft.jsch.Cipher;
import java.util.Arrays;
import java.util.Random;
import javax.crypto.AEADBadTagException;
import org.junit.jupiter.api.Test;

/**
 * libcrypto's aes128-gcm and aes256-gcm against JSch's JDK-based classes,
 * packet after packet (the IV counts them): the same bytes on the wire,
 * each opening what the other sealed, forged packets refused untouched,
 * nothing left on the C heap. PushIT runs them against OpenSSH's sshd.
 */
class NativeAesGcmTest {
    private static final int TAG = 16;
    private final Random random = new Random(7);

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private static Cipher ours(int keySize, int mode, byte[] key, byte[] iv) {
        NativeAesGcm c = keySize == 16 ? new NativeAesGcm.Aes128() : new NativeAesGcm.Aes256();
        c.init(mode, key, iv);
        return c;
    }

    private static Cipher jschs(int keySize, int mode, byte[] key, byte[] iv) throws Exception {
        Cipher c = keySize == 16 ? new com.jcraft.jsch.jce.AES128GCM() : new com.jcraft.jsch.jce.AES256GCM();
        c.init(mode, key, iv);
        return c;
    }

    /** As JSch's session seals: the length as additional data, the rest encrypted in place, the tag after it. */
    private static byte[] seal(Cipher c, byte[] plain) throws Exception {
        byte[] buf = Arrays.copyOf(plain, plain.length + TAG);
        c.updateAAD(buf, 0, 4);
        c.doFinal(buf, 4, plain.length - 4, buf, 4);
        return buf;
    }

    private static byte[] open(Cipher c, byte[] sealed) throws Exception {
        byte[] buf = sealed.clone();
        c.updateAAD(buf, 0, 4);
        c.doFinal(buf, 4, buf.length - 4, buf, 4);
        return Arrays.copyOf(buf, buf.length - TAG);
    }

    @Test
    void libcryptoIsThere() {
        assertTrue(NativeAesGcm.available());
    }

    @Test
    void sealsExactlyAsJschDoesPacketAfterPacketAndEachOpensTheOthers() throws Exception {
        for (int keySize : new int[] {16, 32}) {
            byte[] key = bytes(keySize + 16); // JSch hands over longer keys and IVs than it uses
            byte[] iv = bytes(20);
            Cipher ourSeal = ours(keySize, Cipher.ENCRYPT_MODE, key, iv), theirSeal = jschs(keySize, Cipher.ENCRYPT_MODE, key, iv);
            Cipher ourOpen = ours(keySize, Cipher.DECRYPT_MODE, key, iv), theirOpen = jschs(keySize, Cipher.DECRYPT_MODE, key, iv);
            for (int len : new int[] {16, 32, 48, 1024, 32768 + 64, 16, 262144, 64}) {
                byte[] plain = bytes(len);
                byte[] a = seal(ourSeal, plain);
                byte[] b = seal(theirSeal, plain);
                assertArrayEquals(b, a, keySize + "-byte key, " + len + " bytes");
                assertFalse(Arrays.equals(Arrays.copyOfRange(a, 4, len), Arrays.copyOfRange(plain, 4, len)));
                assertArrayEquals(plain, open(theirOpen, a));
                assertArrayEquals(plain, open(ourOpen, b));
            }
        }
    }

    @Test
    void aForgedOrReplayedPacketIsRefusedAndNothingIsDecrypted() throws Exception {
        byte[] key = bytes(16), iv = bytes(12);
        Cipher seal = ours(16, Cipher.ENCRYPT_MODE, key, iv);
        byte[] first = seal(seal, bytes(64));
        for (int i = 0; i < first.length; i += 5) {
            byte[] forged = first.clone();
            forged[i] ^= 0x01;
            byte[] buf = forged.clone();
            Cipher open = ours(16, Cipher.DECRYPT_MODE, key, iv);
            open.updateAAD(buf, 0, 4);
            assertThrows(AEADBadTagException.class, () -> open.doFinal(buf, 4, buf.length - 4, buf, 4), "byte " + i);
            assertArrayEquals(forged, buf, "a refused packet is left as it came, byte " + i);
        }
        Cipher open = ours(16, Cipher.DECRYPT_MODE, key, iv);
        open(open, first);
        // The second packet's IV differs: the first one again does not open.
        assertThrows(AEADBadTagException.class, () -> open(open, first));
    }

    @Test
    void badCallsSayWhatIsWrong() {
        byte[] iv = new byte[12];
        Cipher c = ours(16, Cipher.ENCRYPT_MODE, bytes(16), iv);
        assertThrows(UnsupportedOperationException.class, () -> c.update(new byte[16], 0, 16, new byte[16], 0));
        assertThrows(IllegalArgumentException.class, () -> ours(32, Cipher.ENCRYPT_MODE, new byte[16], iv));
        assertThrows(IllegalArgumentException.class, () -> c.doFinal(new byte[20], 4, 16, new byte[20], 4), "no room for the tag");
    }

    @Test
    void contextsAreFreedAfterEveryPacket() throws Exception {
        byte[] key = bytes(32), iv = bytes(12), plain = bytes(1024);
        Cipher seal = ours(32, Cipher.ENCRYPT_MODE, key, iv), open = ours(32, Cipher.DECRYPT_MODE, key, iv);
        long grown = CHeapGrowth.leastOverThreeRuns(() -> {
            for (int i = 0; i < 20_000; i++) open(open, seal(seal, plain));
        });
        // Two libcrypto contexts and a buffer a packet: keeping even 32 bytes of each would be 1.9 MB.
        assertTrue(grown < 1 << 20, "the C heap grew by " + grown + " bytes over 20,000 packets");
    }
}
