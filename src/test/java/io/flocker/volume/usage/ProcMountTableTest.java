package io.flocker.volume.usage;

import static io.flocker.volume.usage.FakeProc.ROOT;
import static io.flocker.volume.usage.FakeProc.zfs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading mount namespaces from a tree laid out like /proc. */
class ProcMountTableTest {
    @TempDir
    Path dir;

    @Test
    void findsEveryMountOfTheDatasetByNamespaceWithItsProcesses() throws Exception {
        new FakeProc(dir)
            .process(1, "init", 100, ROOT + zfs(50, "/", "/flocker/u.v", "shared:7", "flocker/u.v"))
            .process(42, "java", 100, ROOT + zfs(50, "/", "/flocker/u.v", "shared:7", "flocker/u.v"))
            .process(812, "sleep", 200, ROOT + zfs(60, "/", "/mnt/x", "", "flocker/u.v")
                + zfs(61, "/logs", "/mnt/logs", "", "flocker/u.v") + zfs(62, "/", "/mnt/y", "", "flocker/u.vv"))
            .process(813, "sh", 200, "ignored: the namespace's first process tells its mounts")
            .process(900, "journald", 300, ROOT + zfs(70, "/", "/flocker/u.v", "master:7", "flocker/u.v"))
            .process(950, "other", 400, ROOT)
            .self(42);
        Files.createDirectories(dir.resolve("sys")); // not a process
        ProcMountTable t = new ProcMountTable(dir);
        assertEquals(100, t.ownNamespace());
        List<NamespaceMount> m = t.mountsOf("flocker/u.v");
        assertEquals(4, m.size(), m.toString());
        NamespaceMount own = m.get(0);
        assertEquals(100, own.namespace());
        assertEquals(Path.of("/flocker/u.v"), own.mountpoint());
        assertEquals(7, own.sharedGroup());
        assertEquals(List.of(new NamespaceMount.Process(1, "init"), new NamespaceMount.Process(42, "java")), own.processes());
        NamespaceMount held = m.get(1);
        assertEquals(200, held.namespace());
        assertEquals(Path.of("/mnt/x"), held.mountpoint());
        assertEquals(0, held.sharedGroup());
        assertEquals("mount namespace 200 at /mnt/x (pid 812 sleep, pid 813 sh)", held.describe());
        assertEquals("mount namespace 200 at /mnt/logs (/logs of it) (pid 812 sleep, pid 813 sh)", m.get(2).describe());
        NamespaceMount slave = m.get(3);
        assertEquals(7, slave.masterGroup());
        assertTrue(slave.follows(7), "a slave of group 7 is unmounted with it");
        assertFalse(held.follows(7));
        assertFalse(held.follows(0));
    }

    @Test
    void escapedNamesAreReadAsTheKernelMeantThem() {
        new FakeProc(dir).process(1, "init", 100, zfs(50, "/", "/mnt/a\\040b", "", "flocker/u.v")).self(1);
        assertEquals(Path.of("/mnt/a b"), new ProcMountTable(dir).mountsOf("flocker/u.v").get(0).mountpoint());
    }

    @Test
    void aProcessThatCannotBeSeenIsLeftOutAndTheNextOneOfItsNamespaceReadInstead() throws Exception {
        new FakeProc(dir).process(5, "gone", 200, "").process(6, "sleep", 200, zfs(60, "/", "/mnt/x", "", "flocker/u.v"))
            .process(7, "ghost", 300, "").self(6);
        Files.delete(dir.resolve("5/mountinfo")); // exited between the listing and the read
        Files.delete(dir.resolve("7/ns/mnt"));     // not ours to see
        List<NamespaceMount> m = new ProcMountTable(dir).mountsOf("flocker/u.v");
        assertEquals(1, m.size());
        assertEquals(200, m.get(0).namespace());
    }

    @Test
    void theRealProcOfThisMachineReads() {
        ProcMountTable t = ProcMountTable.system();
        assertTrue(t.ownNamespace() > 0);
        assertEquals(List.of(), t.mountsOf("no-such-pool/no-such-dataset"));
    }
}
