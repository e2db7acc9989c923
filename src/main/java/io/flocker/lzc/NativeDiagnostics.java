package io.flocker.lzc;

import java.io.File;

/** Figures that show whether native resources leak: C heap in use, open descriptors. */
public final class NativeDiagnostics {
    private NativeDiagnostics() {}

    /** Bytes of the C heap in use (glibc mallinfo2: allocated chunks plus mmapped blocks). */
    public static long mallocInUse() {
        NativeLibrary.load();
        return io.flocker.lzc.raw.LibZfsCoreNative.flocker_malloc_in_use();
    }

    /** How many descriptors this process has open. */
    public static int openDescriptors() {
        String[] fds = new File("/proc/self/fd").list();
        return fds == null ? -1 : fds.length;
    }
}
