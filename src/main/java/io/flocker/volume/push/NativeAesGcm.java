package io.flocker.volume.push;

import com.jcraft.jsch.Cipher;
import io.flocker.volume.push.libcrypto.SshCiphersNative;
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
public abstract class NativeAesGcm implements Cipher {
    private static final int TAG_SIZE = 16;

    private final int keySize;
    private final byte[] key;
    private final byte[] iv = new byte[12];
    private final byte[] aad = new byte[16];
    private int aadLength;
    private long firstCounter;
    private int mode = -1;

    NativeAesGcm(int keySize) {
        this.keySize = keySize;
        this.key = new byte[keySize];
    }

    /** Whether libcrypto is there to do the work. */
    public static boolean available() {
        return Load.AVAILABLE;
    }

    private static final class Load {
        static final boolean AVAILABLE = load();

        private static boolean load() {
            try {
                return SshCiphersNative.flocker_aesgcm_available(16) == 1 && SshCiphersNative.flocker_aesgcm_available(32) == 1;
            } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
                return false; // no libcrypto.so.3 here: the JDK's AES-GCM does the work
            }
        }
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
    public int getTagSize() {
        return TAG_SIZE;
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
        this.mode = mode;
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
        if (mode != ENCRYPT_MODE && mode != DECRYPT_MODE) throw new IllegalStateException("init was not called");
        boolean encrypt = mode == ENCRYPT_MODE;
        if (inOff < 0 || outOff < 0 || len < (encrypt ? 0 : TAG_SIZE)) {
            throw new IllegalArgumentException("bad packet bounds: offset " + Math.min(inOff, outOff) + ", length " + len);
        }
        int room = outOff + len + (encrypt ? TAG_SIZE : 0);
        if (out.length < room) throw new IllegalArgumentException("no room for the packet: " + out.length + " < " + room);
        if (in != out || inOff != outOff) System.arraycopy(in, inOff, out, outOff, len);
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
    public boolean isCBC() {
        return false;
    }

    @Override
    public boolean isAEAD() {
        return true;
    }

    @Override
    public String toString() {
        return "aes" + keySize * 8 + "-gcm@openssh.com (libcrypto)";
    }
}
