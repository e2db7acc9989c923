package io.flocker.lzc;

import io.flocker.lzc.raw.LibZfsCoreNative;
import org.bytedeco.javacpp.Loader;

/** Loads the JNI library (and with it libzfs_core and libnvpair) once. */
final class NativeLibrary {
    private static volatile boolean loaded;

    private NativeLibrary() {}

    static void load() {
        if (loaded) return;
        synchronized (NativeLibrary.class) {
            if (loaded) return;
            try {
                Loader.load(LibZfsCoreNative.class);
            } catch (UnsatisfiedLinkError e) {
                UnsatisfiedLinkError clear = new UnsatisfiedLinkError("cannot load the libzfs_core binding: "
                    + NativeLoadFailure.explain("libzfs_core.so.3 and libnvpair.so.3 of OpenZFS 2.3, which Debian's "
                        + "zfsutils-linux brings", NativeLoadFailure.messages(e)));
                clear.initCause(e);
                throw clear;
            }
            loaded = true;
        }
    }
}
