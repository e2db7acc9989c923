package io.flocker.volume.zfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flocker.lzc.ZfsMounts;
import io.flocker.volume.Filesystem;
import io.flocker.volume.StoragePool;
import io.flocker.volume.StoragePoolContract;
import io.flocker.volume.StorageUnavailable;
import io.flocker.volume.VolumeBusy;
import io.flocker.volume.VolumeException;
import io.flocker.volume.VolumeId;
import io.flocker.volume.VolumeName;
import io.flocker.testbed.Descriptors;
import io.flocker.testbed.TestBed;
import io.flocker.testbed.TestPool;
import io.flocker.testbed.WithTestPools;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The contract on a real ZFS pool, and what only ZFS can show: mounts, properties, the kernel's refusals. */
@WithTestPools
class ZfsStoragePoolIT extends StoragePoolContract {
    private final TestPool tp;
    private final Path root;
    private final ZfsStoragePool pool;

    ZfsStoragePoolIT(TestPool tp) {
        this.tp = tp;
        this.root = tp.mountpoint().resolveSibling(tp.name() + ".volumes");
        this.pool = ZfsStoragePool.open(tp.name(), root);
    }

    @Override
    protected StoragePool pool() {
        return pool;
    }

    @Test
    void createMountsAWritableDatasetWithEverythingRecordedInIt() throws Exception {
        Filesystem fs = pool.create(id("real"), Path.of("/var/lib/app"), false);
        String ds = tp.ds(owner + ".real");
        assertEquals(ds, fs.dataset());
        assertEquals(root.resolve(owner + ".real"), fs.mountpoint());
        assertEquals("yes", tp.get(ds, "mounted"));
        assertEquals(fs.mountpoint().toString(), tp.get(ds, "mountpoint"), "zfs mount -a at boot mounts it in the same place");
        assertEquals("/var/lib/app", tp.get(ds, ZfsStoragePool.MOUNT_PATH_PROPERTY));
        assertEquals("off", tp.get(ds, "readonly"));
        assertEquals(fs.mountpoint(), ZfsMounts.mountpointOf(ds));

        long before = fs.used();
        byte[] noise = new byte[1 << 20];
        new java.util.Random(42).nextBytes(noise); // zeros would compress to nothing
        Files.write(fs.mountpoint().resolve("blob"), noise);
        tp.zpool("sync", tp.name());
        long after = pool.get(id("real")).orElseThrow().used();
        assertTrue(after >= before + (1 << 19), before + " -> " + after);
        assertEquals(Long.toString(after), tp.get(ds, "used"));
    }

    @Test
    void readOnlyVolumeRefusesWrites() {
        Filesystem fs = pool.create(id("ro"), Path.of("/data"), true);
        assertEquals("on", tp.get(fs.dataset(), "readonly"));
        FileSystemException e = assertThrows(FileSystemException.class, () -> Files.writeString(fs.mountpoint().resolve("f"), "x"));
        assertTrue(String.valueOf(e.getReason()).contains("Read-only file system"), e.toString());
    }

    @Test
    void destroyUnmountsAndLeavesNoDirectory() {
        Filesystem fs = pool.create(id("bye"), Path.of("/data"), false);
        pool.destroy(id("bye"));
        assertFalse(tp.has(fs.dataset()));
        assertNull(ZfsMounts.mountpointOf(fs.dataset()));
        assertFalse(Files.exists(fs.mountpoint()), "the mount directory goes too");
    }

    @Test
    void handMadeDatasetsAreVolumesOnlyWhenNamedLikeOne() {
        UUID other = UUID.randomUUID();
        String foreign = tp.ds(other + ".foreign");
        tp.zfs("create", "-o", "readonly=on", foreign);
        tp.zfs("create", tp.ds("not-a-volume-" + owner));
        tp.zfs("create", tp.ds(other + ".bad:name"));
        tp.zfs("create", tp.ds(other.toString().toUpperCase() + ".upper"));
        List<Filesystem> theirs = pool.list().stream().filter(f -> f.id().owner().equals(other)).toList();
        assertEquals(1, theirs.size(), theirs.toString());
        Filesystem f = theirs.get(0);
        assertEquals(new VolumeId(other, VolumeName.of("foreign")), f.id());
        assertTrue(f.readOnly());
        assertNull(f.mountPath(), "made by hand: no mount path recorded");
        assertEquals(tp.mountpoint().resolve(other + ".foreign"), f.mountpoint(), "the inherited mountpoint");
        assertTrue(pool.list().stream().noneMatch(x -> x.dataset().contains("not-a-volume") || x.dataset().contains("upper")));
    }

    @Test
    void anotherPoolObjectSeesTheSameVolumes() {
        pool.create(id("kept"), Path.of("/kept/here"), false);
        ZfsStoragePool again = ZfsStoragePool.open(tp.name(), root);
        Filesystem fs = again.get(id("kept")).orElseThrow();
        assertEquals(Path.of("/kept/here"), fs.mountPath());
        assertEquals(root.resolve(owner + ".kept"), fs.mountpoint());
    }

    @Test
    void mountFailureLeavesNoDatasetAndSparesWhatWasThere() throws Exception {
        Files.createDirectories(root);
        Path blocker = root.resolve(owner + ".blocked");
        Files.writeString(blocker, "not a directory");
        VolumeException e = assertThrows(VolumeException.class, () -> pool.create(id("blocked"), Path.of("/data"), false));
        assertTrue(e.getMessage().contains("'blocked'"), e.getMessage());
        assertFalse(tp.has(tp.ds(owner + ".blocked")), "no dataset without its mount");
        assertEquals("not a directory", Files.readString(blocker));
        Files.delete(blocker);
        pool.create(id("blocked"), Path.of("/data"), false);
    }

    @Test
    void busyMountIsNotDestroyed() throws Exception {
        Filesystem fs = pool.create(id("busy"), Path.of("/data"), false);
        Process sleeper = new ProcessBuilder("sleep", "600").directory(fs.mountpoint().toFile()).start();
        try {
            VolumeBusy e = assertThrows(VolumeBusy.class, () -> pool.destroy(id("busy")));
            assertTrue(e.getMessage().contains("'busy'") && e.getMessage().contains("in use"), e.getMessage());
            assertTrue(tp.has(fs.dataset()));
            assertEquals(fs.mountpoint(), ZfsMounts.mountpointOf(fs.dataset()));
        } finally {
            sleeper.destroyForcibly().waitFor(1, TimeUnit.MINUTES);
        }
        pool.destroy(id("busy"));
        assertFalse(tp.has(fs.dataset()));
    }

    @Test
    void heldSnapshotStopsDestroyBeforeAnythingIsLost() {
        Filesystem fs = pool.create(id("held"), Path.of("/data"), false);
        pool.snapshot(id("held"), "s1");
        pool.snapshot(id("held"), "s2");
        tp.zfs("hold", "keep", fs.dataset() + "@s2");
        VolumeBusy e = assertThrows(VolumeBusy.class, () -> pool.destroy(id("held")));
        assertTrue(e.getMessage().contains(fs.dataset() + "@s2") && e.getMessage().contains("held"), e.getMessage());
        assertEquals(List.of("s1", "s2"), pool.snapshots(id("held")), "all or nothing: s1 is still there");
        assertEquals(fs.mountpoint(), ZfsMounts.mountpointOf(fs.dataset()), "mounted again");
        tp.zfs("release", "keep", fs.dataset() + "@s2");
        pool.destroy(id("held"));
        assertFalse(tp.has(fs.dataset()));
        assertFalse(tp.has(fs.dataset() + "@s1"));
    }

    @Test
    void childDatasetStopsDestroy() {
        Filesystem fs = pool.create(id("parent"), Path.of("/data"), false);
        pool.snapshot(id("parent"), "s");
        tp.zfs("create", "-o", "canmount=off", fs.dataset() + "/child");
        VolumeBusy e = assertThrows(VolumeBusy.class, () -> pool.destroy(id("parent")));
        assertTrue(e.getMessage().contains("child"), e.getMessage());
        assertEquals(List.of("s"), pool.snapshots(id("parent")));
        tp.zfs("destroy", fs.dataset() + "/child");
        pool.destroy(id("parent"));
    }

    @Test
    void snapshotsAreRealZfsSnapshots() {
        Filesystem fs = pool.create(id("snaps"), Path.of("/data"), false);
        pool.snapshot(id("snaps"), "first");
        tp.zfs("snapshot", fs.dataset() + "@by-hand");
        assertEquals(List.of("first", "by-hand"), pool.snapshots(id("snaps")));
        assertTrue(tp.has(fs.dataset() + "@first"));
    }

    @Test
    void missingPoolAndBadNamesAreClearAtOpen() {
        StorageUnavailable e = assertThrows(StorageUnavailable.class, () -> ZfsStoragePool.open("nosuchpool", root));
        assertTrue(e.getMessage().startsWith("ZFS pool 'nosuchpool' does not exist"), e.getMessage());
        VolumeException bad = assertThrows(VolumeException.class, () -> ZfsStoragePool.open("bad/pool", root));
        assertTrue(bad.getMessage().startsWith("invalid pool name 'bad/pool'"), bad.getMessage());
        assertThrows(VolumeException.class, () -> ZfsStoragePool.open(tp.name(), Path.of("relative")));
    }

    /**
     * A first receive cut off leaves a partial state for the rest of its
     * stream; a full stream of another snapshot means the sender started
     * afresh: the partial state is dropped, and the service's log says so.
     */
    @Test
    void aStalePartialReceiveIsDroppedWithAWarning() throws Exception {
        VolumeId src = new VolumeId(UUID.randomUUID(), VolumeName.of("partial"));
        Filesystem fs = pool.create(src, Path.of("/data"), false);
        byte[] data = new byte[4 << 20];
        new java.util.Random(7).nextBytes(data);
        Files.write(fs.mountpoint().resolve("f"), data);
        pool.snapshot(src, "s1");
        pool.snapshot(src, "s2");
        java.io.ByteArrayOutputStream s1 = new java.io.ByteArrayOutputStream();
        pool.send(src, "s1", null, s1, null);
        byte[] cut = java.util.Arrays.copyOf(s1.toByteArray(), s1.size() / 2);
        VolumeId copy = new VolumeId(UUID.randomUUID(), src.name());
        assertThrows(io.flocker.volume.StreamRefused.class,
            () -> pool.receive(copy, Path.of("/data"), new java.io.ByteArrayInputStream(cut)));
        assertTrue(pool.resumeToken(copy).isPresent(), "the cut receive waits for the rest");

        java.io.ByteArrayOutputStream s2 = new java.io.ByteArrayOutputStream();
        pool.send(src, "s2", null, s2, null);
        try (io.flocker.testbed.LogCapture log = io.flocker.testbed.LogCapture.start()) {
            assertEquals("s2", pool.receive(copy, Path.of("/data"), new java.io.ByteArrayInputStream(s2.toByteArray())));
            log.find(ch.qos.logback.classic.Level.WARN, "dropped the partial receive into " + tp.name() + "/" + copy.owner()
                + ".partial", "another snapshot");
        }
        assertTrue(pool.resumeToken(copy).isEmpty());
        assertEquals(List.of("s2"), pool.snapshots(copy));
        pool.destroy(copy);
        pool.destroy(src);
    }

    @Test
    void nativeResourcesAreReleased() throws Exception {
        for (int i = 0; i < 30; i++) pool.create(id("res" + i), Path.of("/data"), false);
        pool.snapshot(id("res0"), "s");
        Runnable round = () -> {
            pool.list();
            pool.get(id("missing"));
            assertThrows(VolumeException.class, () -> pool.snapshot(id("res0"), "s"));
            assertThrows(VolumeException.class, () -> pool.destroy(id("missing")));
        };
        round.run();
        Set<String> fds = Descriptors.open();
        long javacppBytes = org.bytedeco.javacpp.Pointer.totalBytes();
        for (int i = 0; i < 20; i++) round.run();
        Set<String> added = new TreeSet<>(Descriptors.open());
        added.removeAll(fds);
        // New ones only: the forked JVM's earlier test classes may still be closing theirs.
        assertEquals(Set.of(), added, "no descriptor leaks");
        assertEquals(javacppBytes, org.bytedeco.javacpp.Pointer.totalBytes(), "JavaCPP allocations are all freed");

        // Memory: in a JVM whose heap cannot move the resident set, a leak of every
        // listing (30 volumes and more: 20 KiB and more) grows every block by at least
        // its size; without one, most blocks do not grow at all (the JIT or malloc's
        // arenas still add a step now and then, hence the floor, not the sum).
        List<Long> growth = probe(0);
        assertTrue(floor(growth) < 256, "the C heap grew in every block (KiB per block of 40 rounds): " + growth);
    }

    @Test
    void theMemoryProbeSeesALeak() throws Exception {
        for (int i = 0; i < 30; i++) pool.create(id("res" + i), Path.of("/data"), false);
        // More than a 2 MiB huge page a block: with transparent huge pages (the guest's
        // default) the heap's resident set grows in 2 MiB steps, so a smaller leak shows
        // as 0 in some blocks, depending on where the heap happens to lie.
        List<Long> growth = probe(64 * 1024);
        assertTrue(floor(growth) >= 512, "a leak of 64 KiB a round (2.5 MiB a block) went unseen: " + growth);
    }

    private List<Long> probe(long leakPerRound) throws Exception {
        String javaCmd = ProcessHandle.current().info().command().orElse("java");
        TestBed.Result r = TestBed.run(List.of(javaCmd, "-Xms64m", "-Xmx64m", "-XX:+UseSerialGC", "-Xint", "-cp", System.getProperty("java.class.path"), NativeMemoryProbe.class.getName(),
            tp.name(), root.toString(), owner.toString(), "5", "40", Long.toString(leakPerRound)), null,
            java.time.Duration.ofMinutes(5)).requireSuccess();
        List<Long> growth = r.stdout().lines().map(String::strip).map(Long::parseLong).toList();
        System.out.println("memory probe (leak " + leakPerRound + " B/round): C heap growth per block (KiB): " + growth);
        assertEquals(5, growth.size(), r.stdout());
        return growth;
    }

    /** The least growth of any block after the first (which warms up). */
    private static long floor(List<Long> growth) {
        return growth.subList(1, growth.size()).stream().mapToLong(Long::longValue).min().orElseThrow();
    }

}
