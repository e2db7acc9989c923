package io.flocker.lzc;

import io.flocker.lzc.errors.ZfsUnavailable;

/**
 * Run by {@link LibZfsIT} in a mount namespace where libzfs.so.6 is an empty
 * file: libzfs_core must work, LibZfs.open() must fail naming libzfs.so.6.
 * Prints CORE and LIBZFS lines for the test to read.
 */
public final class LibZfsMissingWorker {
    private LibZfsMissingWorker() {}

    public static void main(String[] args) {
        System.out.println("CORE exists=" + LibZfsCore.open().exists(args[0]));
        for (int i = 0; i < 2; i++) {
            try (LibZfs z = LibZfs.open()) {
                System.out.println("LIBZFS opened");
            } catch (ZfsUnavailable e) {
                System.out.println("LIBZFS " + e.getMessage());
            }
        }
        System.out.println("CORE still exists=" + LibZfsCore.open().exists(args[0]));
    }
}
