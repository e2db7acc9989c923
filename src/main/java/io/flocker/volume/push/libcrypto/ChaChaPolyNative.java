package io.flocker.volume.push.libcrypto;

import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.annotation.Cast;
import org.bytedeco.javacpp.annotation.Platform;
import org.bytedeco.javacpp.annotation.Properties;

/**
 * The JNI side of native/flocker_chachapoly.h: SSH's ChaCha20-Poly1305 on
 * libcrypto. Only {@link io.flocker.volume.push.NativeChaCha20Poly1305}
 * calls it. Loading fails with {@link UnsatisfiedLinkError} where there is
 * no libcrypto.so.3; the caller then keeps to Java's cipher.
 */
@Properties(value = @Platform(value = "linux-x86_64", include = "flocker_chachapoly.h", link = "crypto@.3"))
public final class ChaChaPolyNative {
    static {
        Loader.load();
    }

    private ChaChaPolyNative() {}

    public static native int flocker_chachapoly_available();

    public static native int flocker_chachapoly_length(@Cast("const unsigned char*") byte[] key, int seq,
                                                       @Cast("unsigned char*") byte[] buf, int off);

    public static native int flocker_chachapoly_payload(@Cast("const unsigned char*") byte[] key, int seq,
                                                        @Cast("unsigned char*") byte[] buf, int off, int len,
                                                        int encrypt);
}
