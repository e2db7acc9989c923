package io.flocker.ssh;

import io.flocker.ssh.libcrypto.SshCiphersNative;
import java.nio.ByteBuffer;
import javax.crypto.AEADBadTagException;

/**
 * aes128-gcm@openssh.com and aes256-gcm@openssh.com for JSch (RFC 5647),
 * computed by libcrypto (native/flocker_ssh_ciphers.h): the same packets as
 * JSch's JDK-based class. JSch calls it as its session does: {@link
 * #updateAAD} with the 4-byte packet length, then {@link #doFinal} on the
 * rest, in place. The IV's last 8 bytes count the packets; a count that
 * would come round to its start is refused, since GCM must never use an IV
 * twice with one key.
 */
public abstract class NativeAesGcm extends LibcryptoAead {
    private final int keySize;
    private final byte[] key;
    private final byte[] iv = new byte[12];
    private final byte[] aad = new byte[16];
    private int aadLength;
    private long firstCounter;

    NativeAesGcm(int keySize) {
        this.keySize = keySize;
        this.key = new byte[keySize];
    }

    /** Whether libcrypto is there to do the work. */
    public static boolean available() {
        return Load.AVAILABLE;
    }

    private static final class Load {
        static final boolean AVAILABLE =
            loads(() -> SshCiphersNative.flocker_aesgcm_available(16) & SshCiphersNative.flocker_aesgcm_available(32));
    }

    /** aes128-gcm@openssh.com. */
    public static final class Aes128 extends NativeAesGcm {
        public Aes128() {
            super(16);
        }
    }

    /** aes256-gcm@openssh.com. */
    public static final class Aes256 extends NativeAesGcm {
        public Aes256() {
            super(32);
        }
    }

    // JSch's names: "IV size" is the block, "block size" the key.
    @Override
    public int getIVSize() {
        return 16;
    }

    @Override
    public int getBlockSize() {
        return keySize;
    }

    @Override
    public void init(int mode, byte[] key, byte[] iv) {
        if (!available()) throw new IllegalStateException("libcrypto's AES-GCM is not available");
        if (key.length < keySize) throw new IllegalArgumentException("this AES-GCM key has " + keySize + " bytes, not " + key.length);
        if (iv.length < 12) throw new IllegalArgumentException("an AES-GCM IV has 12 bytes, not " + iv.length);
        System.arraycopy(key, 0, this.key, 0, keySize);
        System.arraycopy(iv, 0, this.iv, 0, 12);
        firstCounter = ByteBuffer.wrap(this.iv).getLong(4);
        aadLength = 0;
        setMode(mode);
    }

    @Override
    public void update(byte[] in, int inOff, int len, byte[] out, int outOff) {
        throw new UnsupportedOperationException("AES-GCM works on whole packets: updateAAD, then doFinal");
    }

    @Override
    public void updateAAD(byte[] in, int off, int len) {
        if (aadLength + len > aad.length) throw new IllegalArgumentException("more additional data than a packet length");
        System.arraycopy(in, off, aad, aadLength, len);
        aadLength += len;
    }

    /**
     * Encrypting: {@code len} bytes of plaintext, and the tag after them.
     * Decrypting: {@code len} counts the tag, which is checked before any
     * plaintext is written.
     */
    @Override
    public void doFinal(byte[] in, int inOff, int len, byte[] out, int outOff) throws AEADBadTagException {
        boolean encrypt = encrypting();
        if (len < (encrypt ? 0 : TAG_SIZE)) throw new IllegalArgumentException("a packet shorter than its tag: " + len);
        placeInto(in, inOff, len, out, outOff, len + (encrypt ? TAG_SIZE : 0));
        int ok = SshCiphersNative.flocker_aesgcm_packet(key, keySize, iv, aad, aadLength, out, outOff, len, encrypt ? 1 : 0);
        aadLength = 0;
        if (ok != 1) {
            if (!encrypt) throw new AEADBadTagException("AES-GCM: the packet's tag does not match");
            throw new IllegalStateException("libcrypto failed to encrypt a packet");
        }
        nextIv();
    }

    private void nextIv() {
        ByteBuffer b = ByteBuffer.wrap(iv);
        long next = b.getLong(4) + 1;
        if (next == firstCounter) throw new IllegalStateException("AES-GCM: the packet counter came round; an IV would be reused");
        b.putLong(4, next);
    }

    @Override
    public String toString() {
        return "aes" + keySize * 8 + "-gcm@openssh.com (libcrypto)";
    }
}
