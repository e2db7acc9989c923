package io.flocker.lzc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flocker.lzc.errors.Errno;
import io.flocker.lzc.errors.ZfsUnavailable;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * On a machine without /dev/zfs (the build host), opening the library must
 * be a clear, typed error, not the abort libzfs_core gives an uninitialised
 * call; and it stays retryable.
 */
class LibZfsCoreWithoutZfsTest {

    @Test
    void openWithoutDevZfsIsAClearErrorEveryTime() {
        // Unit tests run on the build host, which has no zfs module by design;
        // on a host that has one, open() must simply work.
        if (Files.exists(Path.of("/dev/zfs"))) {
            assertTrue(LibZfsCore.open() == LibZfsCore.open());
            return;
        }
        for (int i = 0; i < 3; i++) {
            ZfsUnavailable e = assertThrows(ZfsUnavailable.class, LibZfsCore::open);
            assertEquals(Errno.ENOENT, e.errno());
            assertTrue(e.getMessage().contains("/dev/zfs"), e.getMessage());
        }
    }
}
