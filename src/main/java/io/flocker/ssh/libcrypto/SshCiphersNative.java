package io.flocker.ssh.libcrypto;

import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.annotation.Cast;
import org.bytedeco.javacpp.annotation.Platform;
import org.bytedeco.javacpp.annotation.Properties;

/**
 * The JNI side of native/flocker_ssh_ciphers.h: SSH's ChaCha20-Poly1305 and
 * AES-GCM on libcrypto. Only {@link io.flocker.ssh.NativeChaCha20Poly1305}
 * and {@link io.flocker.ssh.NativeAesGcm} call it. Loading fails
 * with {@link UnsatisfiedLinkError} where there is no libcrypto.so.3; the
 * callers then keep to Java's ciphers.
 */
@Properties(value = @Platform(value = "linux-x86_64", include = "flocker_ssh_ciphers.h", link = "crypto@.3"))
public final class SshCiphersNative {
    static {
        Loader.load();
    }

    private SshCiphersNative() {}

    public static native int flocker_chachapoly_available();

    public static native int flocker_chachapoly_length(@Cast("const unsigned char*") byte[] key, int seq,
                                                       @Cast("unsigned char*") byte[] buf, int off);

    public static native int flocker_chachapoly_payload(@Cast("const unsigned char*") byte[] key, int seq,
                                                        @Cast("unsigned char*") byte[] buf, int off, int len,
                                                        int encrypt);

    public static native int flocker_aesgcm_available(int keylen);

    public static native int flocker_aesgcm_packet(@Cast("const unsigned char*") byte[] key, int keylen,
                                                   @Cast("const unsigned char*") byte[] iv,
                                                   @Cast("const unsigned char*") byte[] aad, int aadlen,
                                                   @Cast("unsigned char*") byte[] buf, int off, int len, int encrypt);
}
