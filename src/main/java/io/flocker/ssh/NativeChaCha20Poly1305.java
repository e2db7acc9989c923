package io.flocker.ssh;

import io.flocker.ssh.libcrypto.SshCiphersNative;
import javax.crypto.AEADBadTagException;

/**
 * chacha20-poly1305@openssh.com for JSch, computed by libcrypto
 * (native/flocker_ssh_ciphers.h): the same packets as JSch's own Bouncy
 * Castle class, at libcrypto's speed and without JIT warm-up. JSch makes one
 * per direction and calls it the way its session does: {@link #update(int)}
 * with the packet's sequence number, {@link #update(byte[], int, int, byte[], int)}
 * for the 4-byte length, {@link #doFinal} for the rest and the tag, all on
 * one buffer. {@link SshLogin} uses it where {@link #available()}.
 */
public final class NativeChaCha20Poly1305 extends LibcryptoAead {
    private static final int KEY_SIZE = 64;
    private static final boolean AVAILABLE = loads(SshCiphersNative::flocker_chachapoly_available);

    private final byte[] key = new byte[KEY_SIZE];
    private int seq;

    /** Whether libcrypto is there to do the work. */
    public static boolean available() {
        return AVAILABLE;
    }

    // JSch's names: "IV size" is the block, "block size" the key.
    @Override
    public int getIVSize() {
        return 8;
    }

    @Override
    public int getBlockSize() {
        return KEY_SIZE;
    }

    @Override
    public void init(int mode, byte[] key, byte[] iv) {
        if (!AVAILABLE) throw new IllegalStateException("libcrypto's ChaCha20-Poly1305 is not available");
        if (key.length < KEY_SIZE) throw new IllegalArgumentException("a chacha20-poly1305 key has 64 bytes, not " + key.length);
        System.arraycopy(key, 0, this.key, 0, KEY_SIZE);
        setMode(mode);
    }

    @Override
    public void update(int sequenceNumber) {
        seq = sequenceNumber;
    }

    /** The packet's 4-byte length. */
    @Override
    public void update(byte[] in, int inOff, int len, byte[] out, int outOff) throws AEADBadTagException {
        if (len != 4) throw new IllegalArgumentException("chacha20-poly1305 encrypts the 4-byte length alone, not " + len + " bytes");
        if (in != out || inOff != outOff) System.arraycopy(in, inOff, out, outOff, 4);
        check(SshCiphersNative.flocker_chachapoly_length(key, seq, out, outOff), "the packet length");
    }

    /**
     * The packet's {@code len} bytes (the length first), and its tag after
     * them: written when encrypting, checked before anything is decrypted.
     */
    @Override
    public void doFinal(byte[] in, int inOff, int len, byte[] out, int outOff) throws AEADBadTagException {
        // JSch's negative offset (a key file without a length) never comes from a session: placeInto refuses it.
        boolean encrypt = encrypting();
        placeInto(in, inOff, len + (encrypt ? 0 : TAG_SIZE), out, outOff, len + TAG_SIZE);
        int ok = SshCiphersNative.flocker_chachapoly_payload(key, seq, out, outOff, len, encrypt ? 1 : 0);
        if (ok != 1 && !encrypt) throw new AEADBadTagException("chacha20-poly1305: the packet's tag does not match");
        check(ok, "the packet");
    }

    private static void check(int ok, String what) {
        if (ok != 1) throw new IllegalStateException("libcrypto failed on " + what);
    }

    @Override
    public boolean isChaCha20() {
        return true;
    }

    @Override
    public String toString() {
        return "chacha20-poly1305@openssh.com (libcrypto)";
    }
}
