package io.flocker.lzc;

import static org.junit.jupiter.api.Assertions.*;

import io.flocker.lzc.errors.*;
import io.flocker.testbed.Descriptors;
import io.flocker.testbed.TestBed;
import io.flocker.testbed.TestPool;
import io.flocker.testbed.WithTestPools;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * libzfs's property calls on a real pool, each checked with the `zfs`
 * command; and what libzfs does to mounts when a property changes, read from
 * /proc/self/mountinfo and by writing files.
 */
@WithTestPools(size = "256M")
class LibZfsIT {
    private static final AtomicInteger SEQ = new AtomicInteger();
    private static final LibZfs ZFS = LibZfs.open();
    private final LibZfsCore lzc = LibZfsCore.open();
    private final TestPool pool;

    LibZfsIT(TestPool pool) {
        this.pool = pool;
    }

    @AfterAll
    static void closeHandle() {
        ZFS.close();
    }

    private String fresh(String base) {
        String fs = pool.ds(base + SEQ.incrementAndGet());
        lzc.create(fs);
        return fs;
    }

    @Test
    void setsAndGetsNativeAndUserProperties() {
        String fs = fresh("fs");
        ZFS.setProperty(fs, "readonly", "on");
        ZFS.setProperty(fs, "quota", "64M");
        ZFS.setProperty(fs, "compression", "lz4");
        ZFS.setProperty(fs, "recordsize", "16K");
        ZFS.setProperty(fs, "mountpoint", "none");
        ZFS.setProperty(fs, "io.flocker:owner", "node-a");
        Map<String, String> want = Map.of("readonly", "on", "quota", String.valueOf(64L << 20), "compression", "lz4",
            "recordsize", "16384", "mountpoint", "none", "io.flocker:owner", "node-a");
        assertEquals(want, zfsGet(fs, want.keySet()));
        assertNull(ZfsMounts.mountpointOf(fs), "mountpoint=none mounts nothing");
        for (Map.Entry<String, String> e : want.entrySet()) {
            assertEquals(e.getValue(), ZFS.getProperty(fs, e.getKey()), "getProperty " + e.getKey());
        }
        ZFS.setProperty(fs, "readonly", "off");
        // Parsable form, as zfs get -Hp prints it.
        Map<String, String> zfs = zfsGet(fs, Set.of("readonly", "used", "creation", "type", "guid"));
        assertEquals("off", zfs.get("readonly"));
        for (String p : zfs.keySet()) assertEquals(zfs.get(p), ZFS.getProperty(fs, p), p);
        assertEquals("filesystem", zfs.get("type"));
    }

    /** Several properties from one `zfs get -Hp`. */
    private Map<String, String> zfsGet(String ds, Set<String> props) {
        Map<String, String> out = new TreeMap<>();
        for (String line : pool.zfs("get", "-Hp", "-o", "property,value", String.join(",", props), ds).split("\n")) {
            if (line.isBlank()) continue;
            String[] f = line.split("\t");
            out.put(f[0], f[1]);
        }
        return out;
    }

    @Test
    void getIsNullWhereNothingApplies() {
        String fs = fresh("fs");
        assertNull(ZFS.getProperty(fs, "volsize"), "volsize does not apply to a file system");
        assertNull(ZFS.getProperty(fs, "io.flocker:unset"));
        lzc.snapshot(fs + "@s");
        assertEquals("snapshot", ZFS.getProperty(fs + "@s", "type"));
        assertEquals(pool.get(fs + "@s", "guid"), ZFS.getProperty(fs + "@s", "guid"));
    }

    @Test
    void localPropertiesAreExactlyTheLocallySetNativeOnes() {
        String parent = fresh("parent");
        ZFS.setProperties(parent, Map.of("compression", "lz4", "atime", "off"));
        String child = parent + "/child";
        lzc.create(child);
        ZFS.setProperties(child, Map.of("quota", "32M", "readonly", "on", "io.flocker:owner", "me"));
        ZFS.setProperty(child, "atime", "on");

        Map<String, String> local = ZFS.localProperties(child);
        assertEquals(Map.of("quota", String.valueOf(32L << 20), "readonly", "on", "atime", "on"), local,
            "inherited compression, default values and user properties are not local");
        assertEquals(zfsLocalNative(child), local);
        assertEquals(Map.of("compression", "lz4", "atime", "off"), ZFS.localProperties(parent));
        assertEquals(Map.of(), ZFS.localProperties(fresh("plain")), "a new file system has no local native property");
    }

    /** What `zfs get -s local` lists, user properties left out. */
    private Map<String, String> zfsLocalNative(String ds) {
        Map<String, String> out = new TreeMap<>();
        for (String line : pool.zfs("get", "-Hp", "-s", "local", "-o", "property,value", "all", ds).split("\n")) {
            if (line.isBlank()) continue;
            String[] f = line.split("\t");
            if (!f[0].contains(":")) out.put(f[0], f[1]);
        }
        return out;
    }

    @Test
    void aRefusedPropertyOrValueIsTypedNamesItAndChangesNothing() {
        String fs = fresh("fs");
        record Case(String property, String value, int errno, String says) {}
        List<Case> cases = List.of(
            new Case("quota", "lots", Errno.EINVAL, "bad numeric value 'lots'"),
            new Case("compression", "fast", Errno.EINVAL, "'compression' must be one of"),
            new Case("recordsize", "3K", Errno.EINVAL, "'recordsize' must be power of 2"),
            new Case("volsize", "1M", Errno.EINVAL, "does not apply to datasets of this type"),
            // Refused before any ioctl: libzfs's property table says so.
            new Case("nosuch", "1", 0, "no such native property"),
            new Case("used", "1", 0, "read-only"),
            new Case("casesensitivity", "mixed", 0, "read-only"));
        Map<String, String> before = zfsAll(fs);
        for (Case c : cases) {
            PropertyValueInvalid e = assertThrows(PropertyValueInvalid.class, () -> ZFS.setProperty(fs, c.property(), c.value()),
                c.property());
            assertEquals(c.property(), e.property());
            assertEquals(c.errno(), e.errno(), e.getMessage());
            assertEquals(fs, e.name());
            assertTrue(e.getMessage().contains(c.says()), e.getMessage());
            assertTrue(e.getMessage().contains(c.property()), e.getMessage());
        }
        assertEquals(before, zfsAll(fs), "nothing changed");
        PropertyValueInvalid bad = assertThrows(PropertyValueInvalid.class, () -> ZFS.getProperty(fs, "nosuch"));
        assertEquals("nosuch", bad.property());
    }

    private Map<String, String> zfsAll(String ds) {
        Map<String, String> out = new TreeMap<>();
        for (String line : pool.zfs("get", "-Hp", "-o", "property,value,source", "all", ds).split("\n")) {
            String[] f = line.split("\t");
            // Space accounting moves on its own; values and sources of the rest must not.
            if (f.length == 3 && !Set.of("used", "usedbydataset", "available", "referenced", "logicalused",
                "logicalreferenced", "written", "usedbysnapshots", "usedbychildren").contains(f[0])) {
                out.put(f[0], f[1] + " " + f[2]);
            }
        }
        return out;
    }

    @Test
    void aMissingDatasetIsDatasetNotFound() {
        String gone = pool.ds("gone" + SEQ.incrementAndGet());
        DatasetNotFound set = assertThrows(DatasetNotFound.class, () -> ZFS.setProperty(gone, "readonly", "on"));
        assertEquals(gone, set.name());
        assertEquals(Errno.ENOENT, set.errno());
        assertThrows(DatasetNotFound.class, () -> ZFS.getProperty(gone, "readonly"));
        assertThrows(DatasetNotFound.class, () -> ZFS.localProperties(gone));
        assertThrows(DatasetNotFound.class, () -> ZFS.setProperties(gone, Map.of("atime", "off")));
        assertFalse(pool.has(gone));
    }

    @Test
    void setPropertiesIsAllOrNothingForWhatLibzfsChecksButNotForWhatTheKernelRefuses() {
        String fs = fresh("fs");
        Map<String, String> props = new LinkedHashMap<>();
        props.put("atime", "off");
        props.put("recordsize", "3K");
        PropertyValueInvalid e = assertThrows(PropertyValueInvalid.class, () -> ZFS.setProperties(fs, props));
        assertEquals("recordsize", e.property(), e.getMessage());
        assertEquals("3K", e.value());
        assertEquals("on", pool.get(fs, "atime"), "a value libzfs refuses sets none of the list");

        // The kernel refuses a quota below what is used, after it has set the others.
        Map<String, String> partly = new LinkedHashMap<>();
        partly.put("compression", "lz4");
        partly.put("quota", "1K");
        PropertyValueInvalid q = assertThrows(PropertyValueInvalid.class, () -> ZFS.setProperties(fs, partly));
        assertEquals(Errno.ENOSPC, q.errno(), q.getMessage());
        assertTrue(q.getMessage().contains("less than current used"), q.getMessage());
        assertEquals(Map.of("quota", "0", "compression", "lz4"), zfsGet(fs, Set.of("quota", "compression")),
            "the quota is refused, but what the kernel took before refusing it stays set");

        ZFS.setProperties(fs, Map.of("atime", "off", "recordsize", "8K", "io.flocker:a", "1"));
        assertEquals(Map.of("atime", "off", "recordsize", "8192", "io.flocker:a", "1"),
            zfsGet(fs, Set.of("atime", "recordsize", "io.flocker:a")));
    }

    // ---- mounts ----------------------------------------------------------

    /** A mount's options and its file system's (superblock's) options, from /proc/self/mountinfo. */
    private record MountOptions(Set<String> mount, Set<String> superblock) {}

    private static MountOptions mountOptions(Path dir) throws IOException {
        MountOptions found = null;
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            String[] f = line.split(" ");
            if (!f[4].equals(dir.toString())) continue;
            int dash = List.of(f).indexOf("-");
            found = new MountOptions(new TreeSet<>(List.of(f[5].split(","))), new TreeSet<>(List.of(f[dash + 3].split(","))));
        }
        if (found == null) throw new AssertionError("nothing is mounted at " + dir);
        return found;
    }

    private static boolean writable(Path dir) throws IOException {
        try {
            Files.writeString(dir.resolve("probe"), "x");
            return true;
        } catch (FileSystemException e) {
            assertEquals("Read-only file system", e.getReason(), "EROFS, nothing else: " + e);
            return false;
        }
    }

    private static void bindMount(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        TestBed.run("mount", "--bind", from.toString(), to.toString()).requireSuccess();
    }

    @Test
    void readonlyOnAMountedFileSystemStopsWritesAlsoThroughABindMountMadeBefore() throws IOException {
        String fs = fresh("ro");
        Path mnt = Path.of(ZFS.getProperty(fs, "mountpoint"));
        ZfsMounts.mount(fs, mnt, false);
        Path bind = Files.createTempDirectory("libzfs-bind");
        bindMount(mnt, bind);
        try {
            assertTrue(writable(mnt));
            assertTrue(writable(bind));

            ZFS.setProperty(fs, "readonly", "on");
            // libzfs remounted the mount at the mountpoint property: ro on the mount and
            // the superblock. The bind mount keeps its own rw, but the superblock is
            // shared, so writes through it fail with EROFS too.
            assertTrue(mountOptions(mnt).mount().contains("ro"), mountOptions(mnt).toString());
            assertTrue(mountOptions(mnt).superblock().contains("ro"), mountOptions(mnt).toString());
            assertTrue(mountOptions(bind).mount().contains("rw"), mountOptions(bind).toString());
            assertTrue(mountOptions(bind).superblock().contains("ro"), mountOptions(bind).toString());
            assertFalse(writable(mnt));
            assertFalse(writable(bind));

            ZFS.setProperty(fs, "readonly", "off");
            assertTrue(mountOptions(mnt).mount().contains("rw"));
            assertTrue(mountOptions(bind).superblock().contains("rw"));
            assertTrue(writable(mnt));
            assertTrue(writable(bind));
        } finally {
            ZfsMounts.unmount(bind, false);
            ZfsMounts.unmount(mnt, false);
        }
    }

    @Test
    void execSetuidDevicesAtimeRemountOnlyTheMountAtTheMountpointProperty() throws IOException {
        String fs = fresh("ns");
        Path mnt = Path.of(ZFS.getProperty(fs, "mountpoint"));
        ZfsMounts.mount(fs, mnt, false);
        Path bind = Files.createTempDirectory("libzfs-bind");
        bindMount(mnt, bind);
        try {
            Set<String> bindBefore = mountOptions(bind).mount();
            ZFS.setProperty(fs, "exec", "off");
            ZFS.setProperty(fs, "setuid", "off");
            ZFS.setProperty(fs, "devices", "off");
            ZFS.setProperty(fs, "atime", "off");
            assertTrue(mountOptions(mnt).mount().containsAll(Set.of("noexec", "nosuid", "nodev", "noatime")),
                mountOptions(mnt).toString());
            // These are per-mount flags: a bind mount made before keeps its own.
            assertEquals(bindBefore, mountOptions(bind).mount());
            assertFalse(mountOptions(bind).mount().contains("noexec"));
        } finally {
            ZfsMounts.unmount(bind, false);
            ZfsMounts.unmount(mnt, false);
        }
    }

    @Test
    void aFileSystemMountedElsewhereGetsTheValueButLibzfsCannotRemountIt() throws IOException {
        String fs = fresh("elsewhere");
        Path elsewhere = Files.createTempDirectory("libzfs-elsewhere");
        ZfsMounts.mount(fs, elsewhere, false);
        try {
            // libzfs remounts the path its mountpoint property names, where nothing is mounted.
            RemountFailed e = assertThrows(RemountFailed.class, () -> ZFS.setProperty(fs, "readonly", "on"));
            assertTrue(e.getMessage().contains("the property is set"), e.getMessage());
            assertTrue(e.getMessage().contains("Invalid argument"), e.getMessage());
            assertEquals("on", pool.get(fs, "readonly"));
            assertFalse(writable(elsewhere), "the superblock went read-only anyway");
            assertThrows(RemountFailed.class, () -> ZFS.setProperty(fs, "readonly", "off"));
            assertTrue(writable(elsewhere));
            // A property with no mount option does not remount, so it just works.
            ZFS.setProperty(fs, "quota", "10M");
            assertEquals(String.valueOf(10L << 20), pool.get(fs, "quota"));
        } finally {
            ZfsMounts.unmount(elsewhere, false);
        }
    }

    @Test
    void mountpointMovesAMountedFileSystemAndMountsAnUnmountedOne() throws IOException {
        String mounted = fresh("mp");
        Path old = Files.createTempDirectory("libzfs-old");
        ZfsMounts.mount(mounted, old, false);
        Path moved = old.resolveSibling(old.getFileName() + "-moved");
        ZFS.setProperty(mounted, "mountpoint", moved.toString());
        try {
            assertEquals(moved, ZfsMounts.mountpointOf(mounted), "libzfs unmounted it and mounted it at the new path");
            assertEquals(1, mountCount(mounted));
            assertTrue(Files.isDirectory(moved), "libzfs made the directory");
        } finally {
            ZfsMounts.unmount(moved, false);
        }

        String unmounted = fresh("mp");
        assertNull(ZfsMounts.mountpointOf(unmounted));
        Path target = old.resolveSibling(old.getFileName() + "-new");
        ZFS.setProperty(unmounted, "mountpoint", target.toString());
        try {
            assertEquals(target, ZfsMounts.mountpointOf(unmounted), "setting the mountpoint mounted it");
            assertEquals("yes", ZFS.getProperty(unmounted, "mounted"));
        } finally {
            ZfsMounts.unmount(target, false);
        }
        // With canmount=noauto (or mountpoint=none) nothing is mounted.
        String noauto = fresh("mp");
        ZFS.setProperty(noauto, "canmount", "noauto");
        ZFS.setProperty(noauto, "mountpoint", target + "-noauto");
        assertNull(ZfsMounts.mountpointOf(noauto));
    }

    private static int mountCount(String dataset) throws IOException {
        int n = 0;
        for (String line : Files.readAllLines(Path.of("/proc/self/mounts"))) if (line.startsWith(dataset + " ")) n++;
        return n;
    }

    // ---- resources -------------------------------------------------------

    @Test
    void nativeResourcesAreReleased() throws Exception {
        String fs = fresh("res");
        String gone = pool.ds("gone-res");
        Runnable round = () -> {
            ZFS.setProperty(fs, "io.flocker:n", "1");
            ZFS.setProperty(fs, "atime", "off");
            ZFS.getProperty(fs, "quota");
            ZFS.getProperty(fs, "io.flocker:n");
            ZFS.localProperties(fs);
            ZFS.setProperties(fs, Map.of("compression", "lz4", "io.flocker:m", "2"));
            assertThrows(DatasetNotFound.class, () -> ZFS.setProperty(gone, "atime", "off"));
            assertThrows(PropertyValueInvalid.class, () -> ZFS.setProperty(fs, "quota", "lots"));
            assertThrows(PropertyValueInvalid.class, () -> ZFS.setProperties(fs, Map.of("recordsize", "3K")));
            try (LibZfs other = LibZfs.open()) {
                other.getProperty(fs, "atime");
            }
        };
        round.run();
        Set<String> fds = Descriptors.open();
        long javacppBytes = org.bytedeco.javacpp.Pointer.totalBytes();
        for (int i = 0; i < 10; i++) round.run();
        Set<String> added = new TreeSet<>(Descriptors.open());
        added.removeAll(fds);
        assertEquals(Set.of(), added, "no descriptor leaks (libzfs_init opens /dev/zfs, libzfs_fini closes it)");
        assertEquals(0, ZFS.openDatasets(), "every zfs_handle_t closed, on errors too");
        assertEquals(javacppBytes, org.bytedeco.javacpp.Pointer.totalBytes(), "JavaCPP allocations are all freed");
    }


    @Test
    void oneHandleServesManyThreadsOneCallAtATime() throws Exception {
        List<String> datasets = new ArrayList<>();
        for (int i = 0; i < 4; i++) datasets.add(fresh("thr"));
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        for (String ds : datasets) {
            Thread t = new Thread(() -> {
                try {
                    for (int i = 0; i < 6; i++) {
                        ZFS.setProperty(ds, "io.flocker:i", Integer.toString(i));
                        assertEquals(Integer.toString(i), ZFS.getProperty(ds, "io.flocker:i"));
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            });
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) t.join();
        assertEquals(List.of(), failures);
        for (String ds : datasets) assertEquals("5", pool.get(ds, "io.flocker:i"));
    }

    @Test
    void withoutLibzfsTheCoreBindingWorksAndOpenNamesTheLibrary() {
        // A JVM of its own in a mount namespace where libzfs.so.6 is an empty file.
        Path lib = Path.of("/usr/lib/x86_64-linux-gnu/libzfs.so.6.0.0");
        assertTrue(Files.isRegularFile(lib), lib + " is where the guest's libzfs6linux puts it");
        String javaCmd = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        TestBed.Result r = TestBed.run(List.of("unshare", "-m", "sh", "-c",
            TestBed.dropCopiedZfsMounts(null) + " && mount --bind /dev/null " + lib + " && exec \"$@\"", "sh", javaCmd, "-XX:TieredStopAtLevel=1",
            "-cp", System.getProperty("java.class.path"), LibZfsMissingWorker.class.getName(), pool.name()),
            null, java.time.Duration.ofMinutes(5));
        assertEquals(0, r.exitCode(), r.stderr() + r.stdout());
        List<String> lines = r.stdout().lines().toList();
        assertEquals("CORE exists=true", lines.get(0), r.stdout());
        for (String l : List.of(lines.get(1), lines.get(2))) {
            assertTrue(l.startsWith("LIBZFS libzfs_init: libzfs is not available: libzfs.so.6"), r.stdout());
        }
        assertEquals("CORE still exists=true", lines.get(3), r.stdout());
    }

    /** LANG=C, as under sshd and systemd: nvlists and properties still cross as UTF-8. */
    @Test
    void nonAsciiTextCrossesIntoZfsUnchangedUnderLangC() throws Exception {
        List<String> lines = Utf8Test.underLangC(pool.name(), pool.mountpoint().toString());
        assertEquals(List.of("charset US-ASCII", "ok nvlist key and value", "ok nvlist string array",
            "ok user property through libzfs_core, read by libzfs", "ok user property through libzfs",
            "ok mounted", "ok unmounted"), lines);
        assertEquals(Utf8Worker.TEXT, pool.get(pool.ds("utf8"), "io.flocker:note"), "as zfs(8) reads it");
    }

    @Test
    void closeIsIdempotentAndAClosedHandleRefusesCalls() {
        String fs = fresh("closed");
        LibZfs z = LibZfs.open();
        assertEquals("off", z.getProperty(fs, "readonly"));
        z.close();
        z.close();
        assertThrows(IllegalStateException.class, () -> z.getProperty(fs, "readonly"));
        assertThrows(IllegalStateException.class, () -> z.setProperty(fs, "readonly", "on"));
        assertEquals("off", pool.get(fs, "readonly"));
    }
}
