package io.flocker.lzc;

import io.flocker.lzc.errors.ZfsUnavailable;
import io.flocker.lzc.raw.LibZfsNative;
import org.bytedeco.javacpp.Loader;

/**
 * Loads the libzfs half of the binding: its own JNI library, linked to
 * libzfs.so.6 alone, so that a machine without libzfs still runs everything
 * that needs only libzfs_core ({@link NativeLibrary}).
 */
final class LibZfsLibrary {
    static final String SONAME = "libzfs.so.6";

    private static volatile boolean loaded;
    /** Why loading failed the first time; later attempts fail alike without trying again. */
    private static volatile String failure;

    private LibZfsLibrary() {}

    /** @throws ZfsUnavailable naming libzfs.so.6 when it (or the JNI library) cannot be loaded */
    static void load() {
        if (loaded) return;
        synchronized (LibZfsLibrary.class) {
            if (loaded) return;
            if (failure == null) failure = attempt(() -> Loader.load(LibZfsNative.class));
            if (failure != null) throw unavailable(failure);
            loaded = true;
        }
    }

    /** Runs the loading step: null when it worked, else why not. */
    static String attempt(Runnable loader) {
        try {
            loader.run();
            return null;
        } catch (LinkageError e) {
            // UnsatisfiedLinkError the first time; NoClassDefFoundError for a class
            // whose static initialiser failed before.
            return NativeLoadFailure.messages(e);
        }
    }

    static ZfsUnavailable unavailable(String why) {
        return new ZfsUnavailable("libzfs is not available: " + NativeLoadFailure.explain(SONAME
            + " of OpenZFS 2.3 (Debian package libzfs6linux, which zfsutils-linux brings)", why), 0, "libzfs_init");
    }
}
