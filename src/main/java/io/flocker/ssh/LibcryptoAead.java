package io.flocker.ssh;

import com.jcraft.jsch.Cipher;
import java.util.function.IntSupplier;

/**
 * What SSH's two AEAD ciphers on libcrypto ({@link NativeAesGcm},
 * {@link NativeChaCha20Poly1305}) share: a 16-byte tag after each packet,
 * the direction set by {@link #init}, and falling back to JSch's Java
 * classes where libcrypto.so.3 does not load.
 */
abstract class LibcryptoAead implements Cipher {
    static final int TAG_SIZE = 16;

    private int mode = -1;

    /** Whether {@code check} (a libcrypto availability call) loads and answers 1. */
    static boolean loads(IntSupplier check) {
        try {
            return check.getAsInt() == 1;
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            return false; // no libcrypto.so.3 here: JSch's Java cipher does the work
        }
    }

    final void setMode(int mode) {
        this.mode = mode;
    }

    /** True when sealing packets, false when opening them. */
    final boolean encrypting() {
        if (mode != ENCRYPT_MODE && mode != DECRYPT_MODE) throw new IllegalStateException("init was not called");
        return mode == ENCRYPT_MODE;
    }

    /** Checks that {@code out} has {@code room} bytes, then brings the input there: libcrypto works in place. */
    static void placeInto(byte[] in, int inOff, int len, byte[] out, int outOff, int room) {
        if (inOff < 0 || outOff < 0) throw new IllegalArgumentException("negative offset " + Math.min(inOff, outOff));
        if (out.length < outOff + room) {
            throw new IllegalArgumentException("no room for the packet and its tag: " + out.length + " < " + (outOff + room));
        }
        if (in != out || inOff != outOff) System.arraycopy(in, inOff, out, outOff, len);
    }

    @Override
    public final int getTagSize() {
        return TAG_SIZE;
    }

    @Override
    public final boolean isCBC() {
        return false;
    }

    @Override
    public final boolean isAEAD() {
        return true;
    }
}
