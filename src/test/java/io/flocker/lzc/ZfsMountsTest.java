package io.flocker.lzc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ZfsMountsTest {
    @Test
    void everyMountIsNosuidAndNodevAndAReadOnlyOneNoexecToo() {
        assertEquals(2 | 4, ZfsMounts.flags(false), "MS_NOSUID | MS_NODEV");
        assertEquals(1 | 2 | 4 | 8, ZfsMounts.flags(true), "MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC");
    }

    @Test
    void theKernelIsToldTheMountDirectoryUnlessACommaWouldSplitTheOptions() {
        assertEquals("zfsutil,mntpoint=/flocker/a b", ZfsMounts.options(Path.of("/flocker/a b")));
        assertEquals("zfsutil", ZfsMounts.options(Path.of("/mnt/x,y/v")));
    }
}
