package io.flocker.ssh;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.jcraft.jsch.Cipher;
import java.util.Arrays;
import java.util.Random;
import javax.crypto.AEADBadTagException;
import org.junit.jupiter.api.Test;

/**
 * libcrypto's chacha20-poly1305@openssh.com against JSch's own (Bouncy
 * Castle) class: the same bytes on the wire, each opening what the other
 * sealed, forged packets refused untouched, nothing left on the C heap. The
 * guest's PushIT then runs it against OpenSSH's sshd.
 */
class NativeChaCha20Poly1305Test {
    private static final int TAG = 16;
    private final Random random = new Random(42);

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private static Cipher ours(int mode, byte[] key) {
        NativeChaCha20Poly1305 c = new NativeChaCha20Poly1305();
        c.init(mode, key, new byte[8]);
        return c;
    }

    private static Cipher jschs(int mode, byte[] key) throws Exception {
        Cipher c = new com.jcraft.jsch.bc.ChaCha20Poly1305();
        c.init(mode, key, new byte[8]);
        return c;
    }

    /** Seals {@code plain} (length field first) the way JSch's session does; the packet with its tag. */
    private static byte[] seal(Cipher c, int seq, byte[] plain) throws Exception {
        byte[] buf = Arrays.copyOf(plain, plain.length + TAG);
        c.update(seq);
        c.update(buf, 0, 4, buf, 0);
        c.doFinal(buf, 0, plain.length, buf, 0);
        return buf;
    }

    /** Opens a sealed packet the way JSch's session does: length into a buffer of its own, then the rest. */
    private static byte[] open(Cipher c, int seq, byte[] sealed) throws Exception {
        byte[] buf = sealed.clone();
        byte[] length = new byte[4];
        c.update(seq);
        c.update(buf, 0, 4, length, 0);
        c.doFinal(buf, 0, buf.length - TAG, buf, 0);
        System.arraycopy(length, 0, buf, 0, 4);
        return Arrays.copyOf(buf, buf.length - TAG);
    }

    @Test
    void libcryptoIsThere() {
        // The guest and CI hosts have libcrypto.so.3 (OpenSSH needs it): no silent fallback here.
        assertTrue(NativeChaCha20Poly1305.available());
    }

    @Test
    void sealsExactlyAsJschDoesAndEachOpensTheOthers() throws Exception {
        for (int len : new int[] {8, 16, 40, 64, 1000, 32768 + 64, 262144}) {
            for (int seq : new int[] {0, 1, 3, 65_536, Integer.MAX_VALUE}) {
                byte[] key = bytes(64);
                byte[] plain = bytes(len);
                byte[] a = seal(ours(Cipher.ENCRYPT_MODE, key), seq, plain);
                byte[] b = seal(jschs(Cipher.ENCRYPT_MODE, key), seq, plain);
                assertArrayEquals(b, a, "len " + len + " seq " + seq);
                assertFalse(Arrays.equals(Arrays.copyOf(a, len), plain));
                assertArrayEquals(plain, open(jschs(Cipher.DECRYPT_MODE, key), seq, a));
                assertArrayEquals(plain, open(ours(Cipher.DECRYPT_MODE, key), seq, b));
            }
        }
    }

    @Test
    void aPacketSealedForAnotherSequenceNumberOrKeyIsRefused() throws Exception {
        byte[] key = bytes(64);
        byte[] sealed = seal(ours(Cipher.ENCRYPT_MODE, key), 7, bytes(128));
        assertThrows(AEADBadTagException.class, () -> open(ours(Cipher.DECRYPT_MODE, key), 8, sealed));
        byte[] other = key.clone();
        other[0] ^= 1; // K_2, which makes the Poly1305 key
        assertThrows(AEADBadTagException.class, () -> open(ours(Cipher.DECRYPT_MODE, other), 7, sealed));
    }

    @Test
    void anyFlippedBitIsRefusedAndNothingIsDecrypted() throws Exception {
        byte[] key = bytes(64);
        byte[] sealed = seal(ours(Cipher.ENCRYPT_MODE, key), 5, bytes(96));
        for (int i = 0; i < sealed.length; i += 7) {
            byte[] forged = sealed.clone();
            forged[i] ^= 0x10;
            byte[] buf = forged.clone();
            Cipher c = ours(Cipher.DECRYPT_MODE, key);
            c.update(5);
            c.update(buf, 0, 4, new byte[4], 0);
            assertThrows(AEADBadTagException.class, () -> c.doFinal(buf, 0, buf.length - TAG, buf, 0), "byte " + i);
            assertArrayEquals(forged, buf, "a refused packet is left as it came, byte " + i);
        }
    }

    @Test
    void separateInputAndOutputBuffersGiveTheSameBytes() throws Exception {
        byte[] key = bytes(64);
        byte[] plain = bytes(200);
        Cipher c = ours(Cipher.ENCRYPT_MODE, key);
        byte[] in = Arrays.copyOf(plain, plain.length);
        byte[] out = new byte[10 + plain.length + TAG];
        c.update(9);
        c.update(in, 0, 4, out, 10);
        System.arraycopy(in, 4, out, 14, plain.length - 4);
        c.doFinal(out, 10, plain.length, out, 10);
        assertArrayEquals(seal(jschs(Cipher.ENCRYPT_MODE, key), 9, plain), Arrays.copyOfRange(out, 10, out.length));
        assertArrayEquals(plain, in, "the input is not touched");
    }

    @Test
    void badCallsSayWhatIsWrong() {
        assertThrows(IllegalArgumentException.class, () -> ours(Cipher.ENCRYPT_MODE, new byte[32]));
        Cipher c = ours(Cipher.ENCRYPT_MODE, bytes(64));
        assertThrows(IllegalArgumentException.class, () -> c.update(new byte[8], 0, 8, new byte[8], 0));
        assertThrows(IllegalArgumentException.class, () -> c.doFinal(new byte[20], 0, 20, new byte[20], 0), "no room for the tag");
        assertThrows(IllegalStateException.class, () -> new NativeChaCha20Poly1305().doFinal(new byte[40], 0, 20, new byte[40], 0));
    }

    @Test
    void contextsAreFreedAfterEveryPacket() throws Exception {
        byte[] key = bytes(64);
        byte[] plain = bytes(1024);
        Cipher enc = ours(Cipher.ENCRYPT_MODE, key), dec = ours(Cipher.DECRYPT_MODE, key);
        long grown = CHeapGrowth.leastOverThreeRuns(() -> {
            for (int seq = 0; seq < 20_000; seq++) open(dec, seq, seal(enc, seq, plain));
        });
        // At least three libcrypto contexts a packet, 60,000 in all: keeping even 32 bytes of each would be 1.9 MB.
        assertTrue(grown < 1 << 20, "the C heap grew by " + grown + " bytes over 20,000 packets");
    }
}
