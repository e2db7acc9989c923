package io.flocker.lzc;

import static org.junit.jupiter.api.Assertions.*;

import io.flocker.lzc.errors.*;
import io.flocker.testbed.TestPool;
import io.flocker.testbed.WithTestPools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * create, clone, promote, rename, destroy, exists, rollback, sync, checkpoint
 * and keys on a real pool: each succeeds once and fails in each way its errno
 * table names, and after a failure the pool is checked with the `zfs` command:
 * nothing made, nothing lost.
 */
@WithTestPools(size = "256M")
class DatasetCallsIT {
    private static final AtomicInteger SEQ = new AtomicInteger();
    private final LibZfsCore lzc = LibZfsCore.open();
    private final TestPool pool;

    DatasetCallsIT(TestPool pool) {
        this.pool = pool;
    }

    private String fresh(String base) {
        return pool.ds(base + SEQ.incrementAndGet());
    }

    @Test
    void createsFilesystemsWithProperties() {
        String fs = fresh("fs");
        lzc.create(fs, DatasetType.FILESYSTEM, Map.of("compression", "lz4", "io.flocker:owner", "me", "quota", "64M"));
        assertTrue(pool.has(fs));
        assertEquals("lz4", pool.zfs("get", "-H", "-o", "value", "compression", fs).trim());
        assertEquals("me", pool.get(fs, "io.flocker:owner"));
        assertEquals(String.valueOf(64L << 20), pool.get(fs, "quota"));
        assertEquals("filesystem", pool.get(fs, "type"));
    }

    @Test
    void createsVolumes() {
        String vol = fresh("vol");
        lzc.create(vol, DatasetType.VOLUME, Map.of("volsize", "16M", "volblocksize", 16384L));
        assertEquals("volume", pool.get(vol, "type"));
        assertEquals(String.valueOf(16L << 20), pool.get(vol, "volsize"));
        PropertyInvalid p = assertThrows(PropertyInvalid.class, () -> lzc.create(fresh("vol"), DatasetType.VOLUME, Map.of()));
        assertEquals(0, p.errno(), "a volume without volsize is refused before the kernel");
        WrongParent w = assertThrows(WrongParent.class, () -> lzc.create(vol + "/child"));
        assertEquals(vol + "/child", w.name());
        assertFalse(pool.has(vol + "/child"));
    }

    @Test
    void createFailures() {
        String fs = fresh("fs");
        lzc.create(fs);
        List<String> before = pool.all();
        FilesystemExists e = assertThrows(FilesystemExists.class, () -> lzc.create(fs));
        assertEquals(Errno.EEXIST, e.errno());
        assertEquals(fs, e.name());
        ParentNotFound p = assertThrows(ParentNotFound.class, () -> lzc.create(fs + "/no/such"));
        assertEquals(Errno.ENOENT, p.errno());
        NameInvalid n = assertThrows(NameInvalid.class, () -> lzc.create(pool.ds("bad@name")));
        assertEquals(0, n.errno());
        assertThrows(NameTooLong.class, () -> lzc.create(pool.ds("x".repeat(260))));
        // A combination only the kernel judges: encryption needs a key format.
        PropertyInvalid pi = assertThrows(PropertyInvalid.class,
            () -> lzc.create(fresh("fs"), DatasetType.FILESYSTEM, Map.of("encryption", "aes-256-gcm")));
        assertEquals(Errno.EINVAL, pi.errno());
        assertEquals(before, pool.all(), "no failed create left anything behind");
    }

    @Test
    void existsSeesFilesystemsSnapshotsAndBookmarks() {
        String fs = fresh("fs");
        assertFalse(lzc.exists(fs));
        lzc.create(fs);
        lzc.snapshot(fs + "@s");
        lzc.bookmark(Map.of(fs + "#m", fs + "@s"));
        assertTrue(lzc.exists(fs));
        assertTrue(lzc.exists(fs + "@s"));
        assertTrue(lzc.exists(fs + "#m"));
        assertFalse(lzc.exists(fs + "@nope"));
        assertFalse(lzc.exists("nosuchpool/x"));
        assertThrows(NameInvalid.class, () -> lzc.exists(fs + "@a@b"));
    }

    @Test
    void clonePromoteAndTheirFailures() {
        String fs = fresh("fs");
        lzc.create(fs);
        lzc.snapshot(fs + "@s1");
        String clone = fresh("clone");
        lzc.clone(clone, fs + "@s1", Map.of("io.flocker:c", "yes"));
        assertEquals(fs + "@s1", pool.get(clone, "origin"));
        assertEquals("yes", pool.get(clone, "io.flocker:c"));

        List<String> before = pool.all();
        assertThrows(FilesystemExists.class, () -> lzc.clone(clone, fs + "@s1", Map.of()));
        SnapshotNotFound s = assertThrows(SnapshotNotFound.class, () -> lzc.clone(fresh("c"), fs + "@missing", Map.of()));
        assertEquals(fs + "@missing", s.name());
        assertThrows(ParentNotFound.class, () -> lzc.clone(pool.ds("no/such/clone"), fs + "@s1", Map.of()));
        assertThrows(PoolsDiffer.class, () -> lzc.clone("otherpool/c", fs + "@s1", Map.of()));
        assertThrows(NotClone.class, () -> lzc.promote(fs));
        assertThrows(FilesystemNotFound.class, () -> lzc.promote(pool.ds("nothing-here")));
        assertEquals(before, pool.all());

        lzc.promote(clone);
        assertEquals(clone + "@s1", pool.get(fs, "origin"), "after promote the old origin is the clone");
        assertTrue(pool.has(clone + "@s1"));
    }

    @Test
    void promoteNamesTheConflictingSnapshot() {
        String fs = fresh("fs");
        lzc.create(fs);
        lzc.snapshot(fs + "@same");
        String clone = fresh("clone");
        lzc.clone(clone, fs + "@same", Map.of());
        lzc.snapshot(clone + "@same");
        SnapshotExists e = assertThrows(SnapshotExists.class, () -> lzc.promote(clone));
        assertTrue(e.name().endsWith("@same"), e.getMessage());
        assertEquals(fs + "@same", pool.get(clone, "origin"), "nothing moved");
    }

    @Test
    void renameAndItsFailures() {
        String a = fresh("a");
        String b = fresh("b");
        lzc.create(a);
        lzc.rename(a, b);
        assertFalse(pool.has(a));
        assertTrue(pool.has(b));
        String c = fresh("c");
        lzc.create(c);
        List<String> before = pool.all();
        assertEquals(b, assertThrows(FilesystemExists.class, () -> lzc.rename(c, b)).name());
        assertEquals(a, assertThrows(FilesystemNotFound.class, () -> lzc.rename(a, fresh("x"))).name());
        assertThrows(ParentNotFound.class, () -> lzc.rename(c, pool.ds("no/parent")));
        assertThrows(PoolsDiffer.class, () -> lzc.rename(c, "elsewhere/c"));
        assertThrows(NameInvalid.class, () -> lzc.rename(c, pool.ds("x y z;rm")));
        assertEquals(before, pool.all());
    }

    @Test
    void destroyAndItsFailures() throws Exception {
        String fs = fresh("fs");
        lzc.create(fs);
        lzc.destroy(fs);
        assertFalse(pool.has(fs));
        assertEquals(fs, assertThrows(FilesystemNotFound.class, () -> lzc.destroy(fs)).name());

        String withSnap = fresh("ws");
        lzc.create(withSnap);
        lzc.snapshot(withSnap + "@s");
        assertThrows(DatasetBusy.class, () -> lzc.destroy(withSnap));
        assertTrue(pool.has(withSnap + "@s"));

        String parent = fresh("parent");
        lzc.create(parent);
        lzc.create(parent + "/kid");
        assertThrows(DatasetBusy.class, () -> lzc.destroy(parent));
        assertTrue(pool.has(parent + "/kid"));

        String mounted = fresh("m");
        lzc.create(mounted);
        Path dir = Files.createTempDirectory("lzc-mnt");
        ZfsMounts.mount(mounted, dir, false);
        try {
            assertThrows(DatasetBusy.class, () -> lzc.destroy(mounted));
            assertTrue(pool.has(mounted));
        } finally {
            assertTrue(ZfsMounts.unmount(dir, false));
        }
        lzc.destroy(mounted);
    }

    @Test
    void mountsAndUnmounts() throws Exception {
        String fs = fresh("fs");
        lzc.create(fs);
        Path dir = pool.mountpoint().resolve("custom-" + SEQ.incrementAndGet());
        ZfsMounts.mount(fs, dir, false);
        assertEquals(dir, ZfsMounts.mountpointOf(fs));
        Files.writeString(dir.resolve("f"), "data");
        assertThrows(DatasetBusy.class, () -> ZfsMounts.mount(fs, dir, false));
        assertTrue(ZfsMounts.unmount(dir, false));
        assertFalse(ZfsMounts.unmount(dir, false), "nothing mounted any more");
        assertNull(ZfsMounts.mountpointOf(fs));

        String ro = fresh("ro");
        lzc.create(ro, DatasetType.FILESYSTEM, Map.of("readonly", "on"));
        Path rodir = pool.mountpoint().resolve("ro-" + SEQ.incrementAndGet());
        ZfsMounts.mount(ro, rodir, false);
        try {
            java.io.IOException e = assertThrows(java.io.IOException.class, () -> Files.writeString(rodir.resolve("f"), "x"));
            assertTrue(e.getMessage().contains("Read-only"), e.getMessage());
        } finally {
            ZfsMounts.unmount(rodir, false);
        }
    }

    @Test
    void rollbackAndRollbackTo() throws Exception {
        String fs = fresh("fs");
        lzc.create(fs);
        assertThrows(SnapshotNotFound.class, () -> lzc.rollback(fs), "no snapshot yet");
        Path dir = pool.mountpoint().resolve("rb-" + SEQ.incrementAndGet());
        ZfsMounts.mount(fs, dir, false);
        try {
            Files.writeString(dir.resolve("kept"), "1");
            lzc.snapshot(fs + "@s1");
            Files.writeString(dir.resolve("lost"), "2");
            lzc.snapshot(fs + "@s2");
            Files.writeString(dir.resolve("lost2"), "3");
            assertEquals(fs + "@s2", lzc.rollback(fs));
            assertFalse(Files.exists(dir.resolve("lost2")));
            assertTrue(Files.exists(dir.resolve("lost")));
            SnapshotNotLatest e = assertThrows(SnapshotNotLatest.class, () -> lzc.rollbackTo(fs, fs + "@s1"));
            assertEquals(fs + "@s1", e.name());
            assertTrue(Files.exists(dir.resolve("lost")), "a refused rollback changes nothing");
            lzc.rollbackTo(fs, fs + "@s2");
            assertThrows(SnapshotMismatch.class, () -> lzc.rollbackTo(fs, pool.ds("other@s2")));
        } finally {
            ZfsMounts.unmount(dir, false);
        }
        assertThrows(FilesystemNotFound.class, () -> lzc.rollback(pool.ds("absent")));
    }

    @Test
    void syncAndCheckpoints() throws Exception {
        lzc.sync(pool.name());
        assertThrows(PoolNotFound.class, () -> lzc.sync("nosuchpool"));
        lzc.checkpoint(pool.name());
        assertNotEquals("-", pool.zpool("list", "-H", "-o", "checkpoint", pool.name()).trim());
        assertThrows(CheckpointExists.class, () -> lzc.checkpoint(pool.name()));
        lzc.discardCheckpoint(pool.name());
        for (int i = 0; i < 100; i++) {
            try {
                lzc.checkpoint(pool.name());
                break;
            } catch (CheckpointDiscarding busy) {
                Thread.sleep(100); // the discard finishes in the background
            }
        }
        lzc.discardCheckpoint(pool.name());
        // A second discard finds either nothing left or the first still running.
        ZfsException again = assertThrows(ZfsException.class, () -> lzc.discardCheckpoint(pool.name()));
        assertTrue(again instanceof CheckpointNotFound || again instanceof CheckpointDiscarding, again.toString());
        assertThrows(PoolNotFound.class, () -> lzc.checkpoint("nosuchpool"));
    }

    @Test
    void encryptionKeys() {
        byte[] key = new byte[32];
        for (int i = 0; i < key.length; i++) key[i] = (byte) i;
        String fs = fresh("enc");
        lzc.create(fs, DatasetType.FILESYSTEM,
            Map.of("encryption", "aes-256-gcm", "keyformat", "raw", "keylocation", "prompt"), key);
        assertEquals("available", pool.get(fs, "keystatus"));
        lzc.unloadKey(fs);
        assertEquals("unavailable", pool.get(fs, "keystatus"));
        assertThrows(EncryptionKeyNotLoaded.class, () -> lzc.unloadKey(fs));
        byte[] wrong = key.clone();
        wrong[0] ^= 1;
        assertThrows(EncryptionKeyInvalid.class, () -> lzc.loadKey(fs, false, wrong));
        assertEquals("unavailable", pool.get(fs, "keystatus"));
        lzc.loadKey(fs, true, key);
        assertEquals("unavailable", pool.get(fs, "keystatus"), "verify only loads nothing");
        lzc.loadKey(fs, false, key);
        assertEquals("available", pool.get(fs, "keystatus"));
        assertThrows(EncryptionKeyAlreadyLoaded.class, () -> lzc.loadKey(fs, false, key));
        byte[] newKey = new byte[32];
        newKey[5] = 9;
        lzc.changeKey(fs, KeyChange.NEW_KEY, Map.of("keyformat", "raw", "keylocation", "prompt"), newKey);
        lzc.unloadKey(fs);
        assertThrows(EncryptionKeyInvalid.class, () -> lzc.loadKey(fs, false, key));
        lzc.loadKey(fs, false, newKey);
        assertThrows(FilesystemNotFound.class, () -> lzc.unloadKey(pool.ds("absent")));
    }
}
