package io.flocker.volume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What every {@link StoragePool} must do, run against each implementation
 * (the in-memory pool on the host, the ZFS pool in the test guest) so that
 * unit tests on the one mean something for the other.
 *
 * <p>Each test works under its own owner UUID, so tests sharing one pool
 * cannot see each other's volumes.
 */
public abstract class StoragePoolContract {
    /** The pool under test; the same pool for every call within one test. */
    protected abstract StoragePool pool();

    protected final UUID owner = UUID.randomUUID();

    protected VolumeId id(String name) {
        return new VolumeId(owner, VolumeName.of(name));
    }

    protected List<Filesystem> mine() {
        return pool().list().stream().filter(f -> f.id().owner().equals(owner)).toList();
    }

    @Test
    void createdFilesystemIsFoundByGetAndList() {
        VolumeId id = id("data");
        Filesystem made = pool().create(id, Path.of("/var/lib/data"), false);
        assertEquals(id, made.id());
        assertEquals(pool().name() + "/" + owner + ".data", made.dataset());
        assertEquals(owner + ".data", made.mountpoint().getFileName().toString());
        assertEquals(Path.of("/var/lib/data"), made.mountPath());
        assertFalse(made.readOnly());
        assertTrue(made.used() >= 0);

        Filesystem got = pool().get(id).orElseThrow();
        assertEquals(made.dataset(), got.dataset());
        assertEquals(made.mountpoint(), got.mountpoint());
        assertEquals(made.mountPath(), got.mountPath());
        assertFalse(got.readOnly());
        assertEquals(List.of(id), mine().stream().map(Filesystem::id).toList());
    }

    @Test
    void readOnlyCreateIsReadOnlyWhenReadBack() {
        VolumeId id = id("copy");
        assertTrue(pool().create(id, Path.of("/data"), true).readOnly());
        assertTrue(pool().get(id).orElseThrow().readOnly());
        assertTrue(mine().get(0).readOnly());
    }

    @Test
    void secondCreateOfOneVolumeFailsAndKeepsTheFirst() {
        VolumeId id = id("twice");
        pool().create(id, Path.of("/first"), false);
        VolumeExists e = assertThrows(VolumeExists.class, () -> pool().create(id, Path.of("/second"), true));
        assertTrue(e.getMessage().contains("'twice'"), e.getMessage());
        Filesystem fs = pool().get(id).orElseThrow();
        assertEquals(Path.of("/first"), fs.mountPath());
        assertFalse(fs.readOnly());
        assertEquals(1, mine().size());
    }

    @Test
    void oneNameUnderTwoOwnersIsTwoVolumes() {
        VolumeId mineId = id("shared");
        VolumeId theirs = new VolumeId(UUID.randomUUID(), VolumeName.of("shared"));
        pool().create(mineId, Path.of("/a"), false);
        pool().create(theirs, Path.of("/b"), true);
        assertEquals(Path.of("/a"), pool().get(mineId).orElseThrow().mountPath());
        assertEquals(Path.of("/b"), pool().get(theirs).orElseThrow().mountPath());
        assertTrue(pool().list().stream().anyMatch(f -> f.id().equals(theirs) && f.readOnly()));
        pool().destroy(theirs);
    }

    @Test
    void missingVolumeIsNotFound() {
        assertEquals(Optional.empty(), pool().get(id("nothing")));
        assertTrue(mine().isEmpty());
    }

    @Test
    void destroyRemovesItAndFreesTheName() {
        VolumeId id = id("gone");
        pool().create(id, Path.of("/data"), false);
        pool().destroy(id);
        assertEquals(Optional.empty(), pool().get(id));
        assertTrue(mine().isEmpty());
        pool().create(id, Path.of("/again"), false);
        assertEquals(Path.of("/again"), pool().get(id).orElseThrow().mountPath());
    }

    @Test
    void destroyOfMissingVolumeFailsNamingIt() {
        VolumeNotFound e = assertThrows(VolumeNotFound.class, () -> pool().destroy(id("never")));
        assertTrue(e.getMessage().contains("'never'"), e.getMessage());
    }

    @Test
    void destroyTakesTheSnapshotsAlong() {
        VolumeId id = id("snapped");
        pool().create(id, Path.of("/data"), false);
        pool().snapshot(id, "one");
        pool().snapshot(id, "two");
        pool().destroy(id);
        assertEquals(Optional.empty(), pool().get(id));
        assertThrows(VolumeNotFound.class, () -> pool().snapshots(id));
        pool().create(id, Path.of("/data"), false);
        assertEquals(List.of(), pool().snapshots(id), "a new volume of the old name has none of the old snapshots");
    }

    @Test
    void snapshotsAreListedOldestFirst() {
        VolumeId id = id("history");
        pool().create(id, Path.of("/data"), false);
        assertEquals(List.of(), pool().snapshots(id));
        for (String s : List.of("b", "a", "c2", "c10")) pool().snapshot(id, s);
        assertEquals(List.of("b", "a", "c2", "c10"), pool().snapshots(id));
    }

    @Test
    void snapshotNamesAreUniquePerVolume() {
        VolumeId id = id("dup");
        VolumeId other = id("dup2");
        pool().create(id, Path.of("/data"), false);
        pool().create(other, Path.of("/data"), false);
        pool().snapshot(id, "s");
        SnapshotExists e = assertThrows(SnapshotExists.class, () -> pool().snapshot(id, "s"));
        assertTrue(e.getMessage().contains("'s'"), e.getMessage());
        pool().snapshot(other, "s");
        assertEquals(List.of("s"), pool().snapshots(id));
        assertEquals(List.of("s"), pool().snapshots(other));
    }

    @Test
    void snapshotsOfMissingVolumeAreNotFound() {
        assertThrows(VolumeNotFound.class, () -> pool().snapshot(id("absent"), "s"));
        assertThrows(VolumeNotFound.class, () -> pool().snapshots(id("absent")));
    }

    @Test
    void badSnapshotNamesAreRefusedNamingThem() {
        VolumeId id = id("badsnap");
        pool().create(id, Path.of("/data"), false);
        for (String bad : List.of("", "a@b", "a b", "a/b", "x".repeat(VolumeName.MAX_SNAPSHOT_NAME + 1))) {
            InvalidVolumeName e = assertThrows(InvalidVolumeName.class, () -> pool().snapshot(id, bad), bad);
            assertEquals(bad, e.input());
            assertTrue(e.getMessage().contains(VolumeException.quote(bad)), e.getMessage());
        }
        assertEquals(List.of(), pool().snapshots(id));
    }

    @Test
    void longestNameFitsWithALongestSnapshot() {
        String name = "n".repeat(VolumeName.maxLength(pool().name()));
        VolumeId id = id(name);
        Filesystem fs = pool().create(id, Path.of("/data"), false);
        assertEquals(255 - 1 - VolumeName.MAX_SNAPSHOT_NAME, fs.dataset().length());
        String snap = "s".repeat(VolumeName.MAX_SNAPSHOT_NAME);
        pool().snapshot(id, snap);
        assertEquals(List.of(snap), pool().snapshots(id));
        assertEquals(List.of(id), mine().stream().map(Filesystem::id).toList());
        pool().destroy(id);
    }

    @Test
    void mountPathWithSpacesAndNonAsciiRoundTrips() {
        VolumeId id = id("odd");
        Path p = Path.of("/srv/my data/ünïcödé-✓");
        pool().create(id, p, false);
        assertEquals(p, pool().get(id).orElseThrow().mountPath());
        assertEquals(p, mine().get(0).mountPath());
    }

    @Test
    void concurrentCreatesOfOneVolumeLeaveExactlyOne() throws Exception {
        VolumeId id = id("race");
        int n = 4;
        ExecutorService pool4 = Executors.newFixedThreadPool(n);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<String>> results = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                Path path = Path.of("/p" + i);
                Callable<String> c = () -> {
                    start.await();
                    try {
                        pool().create(id, path, false);
                        return "made";
                    } catch (VolumeExists e) {
                        return "exists";
                    }
                };
                results.add(pool4.submit(c));
            }
            start.countDown();
            List<String> outcomes = new ArrayList<>();
            for (Future<String> f : results) outcomes.add(f.get(5, TimeUnit.MINUTES));
            assertEquals(1, outcomes.stream().filter("made"::equals).count(), outcomes.toString());
            assertEquals(n - 1, outcomes.stream().filter("exists"::equals).count(), outcomes.toString());
        } finally {
            pool4.shutdownNow();
        }
        assertEquals(1, mine().size());
    }

    // ---- properties and users (Docker's volume plugin) ---------------------

    private static final VolumeProperties SOME = VolumeProperties.of(java.util.Map.of(
        "quota", "64M", "recordsize", "16K", "compression", "lz4"));

    @Test
    void createWithPropertiesReadsThemBack() {
        VolumeId id = id("props");
        Filesystem fs = pool().create(id, Path.of("/data"), false, SOME);
        assertEquals(Path.of("/data"), fs.mountPath());
        assertEquals(SOME, pool().properties(id));
        assertEquals(VolumeProperties.NONE, pool().properties(pool().create(id("plain"), Path.of("/d"), false).id()),
            "a volume made without properties has none of its own");
    }

    @Test
    void createWithoutMountPathRecordsNone() {
        VolumeId id = id("bare");
        Filesystem fs = pool().create(id, null, false, VolumeProperties.NONE);
        assertNull(fs.mountPath());
        assertEquals(owner + ".bare", fs.mountpoint().getFileName().toString());
        assertNull(pool().get(id).orElseThrow().mountPath());
        assertNull(mine().get(0).mountPath());
        assertEquals(VolumeProperties.NONE, pool().properties(id));
    }

    @Test
    void createWithPropertiesOfAnExistingVolumeChangesNothing() {
        VolumeId id = id("kept");
        pool().create(id, null, false, VolumeProperties.NONE);
        assertThrows(VolumeExists.class, () -> pool().create(id, Path.of("/x"), false, SOME));
        assertEquals(VolumeProperties.NONE, pool().properties(id));
        assertNull(pool().get(id).orElseThrow().mountPath());
    }

    @Test
    void propertiesAndUsersOfAMissingVolumeAreNotFound() {
        VolumeId id = id("nowhere");
        assertThrows(VolumeNotFound.class, () -> pool().properties(id));
        assertThrows(VolumeNotFound.class, () -> pool().users(id));
        assertThrows(VolumeNotFound.class, () -> pool().addUser(id, "a"));
        assertThrows(VolumeNotFound.class, () -> pool().removeUser(id, "a"));
        assertEquals(Optional.empty(), pool().get(id), "asking made nothing");
    }

    @Test
    void usersAreCountedOncePerId() {
        VolumeId id = id("used");
        pool().create(id, null, false, VolumeProperties.NONE);
        assertEquals(java.util.Set.of(), pool().users(id));
        assertEquals(1, pool().addUser(id, "a"));
        assertEquals(1, pool().addUser(id, "a"), "the same caller twice is one user");
        assertEquals(2, pool().addUser(id, "b"));
        assertEquals(java.util.Set.of("a", "b"), pool().users(id));
        assertEquals(1, pool().removeUser(id, "a"));
        assertEquals(1, pool().removeUser(id, "a"), "forgetting twice is no error");
        assertEquals(1, pool().removeUser(id, "never"));
        assertEquals(java.util.Set.of("b"), pool().users(id));
        assertEquals(0, pool().removeUser(id, "b"));
        assertEquals(java.util.Set.of(), pool().users(id));
    }

    @Test
    void usersBelongToOneVolumeAndGoWithIt() {
        VolumeId a = id("ua"), b = id("ub");
        pool().create(a, null, false, VolumeProperties.NONE);
        pool().create(b, Path.of("/b"), false);
        pool().addUser(a, "x");
        assertEquals(java.util.Set.of(), pool().users(b));
        pool().destroy(a);
        pool().create(a, null, false, VolumeProperties.NONE);
        assertEquals(java.util.Set.of(), pool().users(a), "a volume made again under the name starts with no users");
    }

    @Test
    void anyTextIsAUserId() {
        VolumeId id = id("ids");
        pool().create(id, null, false, VolumeProperties.NONE);
        List<String> ids = List.of("0123456789abcdef".repeat(4), "UPPER case and spaces", "ünïcödé ✓", "x".repeat(1024),
            "io.flocker:user.", "a=b;c");
        for (String u : ids) pool().addUser(id, u);
        assertEquals(java.util.Set.copyOf(ids), pool().users(id));
        for (String u : ids) pool().removeUser(id, u);
        assertEquals(java.util.Set.of(), pool().users(id));
    }

    @Test
    void concurrentUserChangesAreAllCounted() throws Exception {
        VolumeId id = id("busy");
        pool().create(id, null, false, VolumeProperties.NONE);
        int n = 12;
        ExecutorService threads = Executors.newFixedThreadPool(n);
        try {
            List<Future<Integer>> adds = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String u = "user-" + i;
                adds.add(threads.submit(() -> pool().addUser(id, u)));
            }
            List<Integer> counts = new ArrayList<>();
            for (Future<Integer> f : adds) counts.add(f.get(5, TimeUnit.MINUTES));
            assertEquals(n, pool().users(id).size());
            assertTrue(counts.stream().allMatch(c -> c >= 1 && c <= n), counts.toString());
            assertTrue(counts.contains(n), "the last change sees every user: " + counts);
            List<Future<Integer>> removes = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String u = "user-" + i;
                removes.add(threads.submit(() -> pool().removeUser(id, u)));
            }
            List<Integer> left = new ArrayList<>();
            for (Future<Integer> f : removes) left.add(f.get(5, TimeUnit.MINUTES));
            assertTrue(left.contains(0), "the last change sees none left: " + left);
        } finally {
            threads.shutdownNow();
        }
        assertEquals(java.util.Set.of(), pool().users(id));
    }

    // ---- moving volumes between nodes -------------------------------------

    private VolumeId copyOf(VolumeId id) {
        return new VolumeId(UUID.nameUUIDFromBytes((owner + "copy").getBytes()), id.name());
    }

    private byte[] send(VolumeId id, String snapshot, String from) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        long n = pool().send(id, snapshot, from, out, null);
        assertEquals(out.size(), n);
        return out.toByteArray();
    }

    private String receive(VolumeId id, byte[] stream) {
        return pool().receive(id, Path.of("/data"), new java.io.ByteArrayInputStream(stream));
    }

    @Test
    void fullThenIncrementalStreamsMakeAReadOnlyCopy() {
        VolumeId src = id("moved");
        pool().create(src, Path.of("/data"), false);
        pool().snapshot(src, "s1");
        VolumeId copy = copyOf(src);
        assertEquals("s1", receive(copy, send(src, "s1", null)));
        Filesystem fs = pool().get(copy).orElseThrow();
        assertTrue(fs.readOnly());
        assertEquals(Path.of("/data"), fs.mountPath());
        pool().snapshot(src, "s2");
        pool().snapshot(src, "s3");
        assertTrue(pool().estimateSend(src, "s3", "s1") > 0);
        assertEquals("s3", receive(copy, send(src, "s3", "s1")));
        assertEquals(List.of("s1", "s3"), pool().snapshots(copy), "one snapshot travels, as lzc_send sends it");
        assertTrue(pool().resumeToken(copy).isEmpty());
    }

    @Test
    void streamsThatDoNotFitAreRefusedAndChangeNothing() {
        VolumeId src = id("fits");
        pool().create(src, Path.of("/data"), false);
        pool().snapshot(src, "s1");
        pool().snapshot(src, "s2");
        VolumeId copy = copyOf(src);
        assertThrows(StreamRefused.class, () -> receive(copy, "no stream at all".getBytes()));
        assertThrows(StreamRefused.class, () -> receive(copy, send(src, "s2", "s1")), "incremental onto nothing");
        assertTrue(pool().get(copy).isEmpty());
        receive(copy, send(src, "s1", null));
        assertThrows(StreamRefused.class, () -> receive(copy, send(src, "s1", null)), "a full stream onto a copy");
        assertEquals(List.of("s1"), pool().snapshots(copy));
    }

    @Test
    void changeOwnerKeepsTheSnapshotsAndSetsReadOnly() {
        VolumeId mine = id("handed");
        pool().create(mine, Path.of("/srv"), false);
        pool().snapshot(mine, "a");
        VolumeId theirs = copyOf(mine);
        Filesystem moved = pool().changeOwner(mine, theirs, true);
        assertEquals(theirs, moved.id());
        assertTrue(moved.readOnly());
        assertEquals(Path.of("/srv"), moved.mountPath());
        assertTrue(pool().get(mine).isEmpty());
        assertTrue(pool().snapshots(theirs).contains("a"));
        assertThrows(VolumeNotFound.class, () -> pool().changeOwner(mine, theirs, false));
        pool().create(mine, Path.of("/other"), false);
        assertThrows(VolumeExists.class, () -> pool().changeOwner(theirs, mine, false));
        assertTrue(pool().get(theirs).orElseThrow().readOnly(), "a refused move changes nothing");
        pool().destroy(mine);
        assertFalse(pool().changeOwner(theirs, mine, false).readOnly());
    }

    @Test
    void destroySnapshotsSkipsMissingOnesAndUnmountMountSayWhatTheyDid() {
        VolumeId id = id("snaps");
        pool().create(id, Path.of("/data"), false);
        pool().snapshot(id, "x");
        pool().snapshot(id, "y");
        pool().destroySnapshots(id, List.of("x", "never"));
        assertEquals(List.of("y"), pool().snapshots(id));
        assertTrue(pool().unmount(id));
        assertFalse(pool().unmount(id));
        assertTrue(pool().mount(id));
        assertFalse(pool().mount(id));
        assertThrows(VolumeNotFound.class, () -> pool().destroySnapshots(id("nothing"), List.of("x")));
    }

    @Test
    void changeOwnerIsARenameThatKeepsPropertiesUsersAndCountsAnEpoch() {
        VolumeId mine = id("kept");
        VolumeProperties props = VolumeProperties.of(java.util.Map.of("quota", "64M", "compression", "lz4",
            "recordsize", "32K"));
        pool().create(mine, Path.of("/srv"), false, props);
        pool().addUser(mine, "c1");
        pool().snapshot(mine, "a");
        assertEquals(0, pool().epoch(mine));
        VolumeId theirs = copyOf(mine);
        pool().changeOwner(mine, theirs, true);
        assertEquals(props, pool().properties(theirs), "released");
        assertEquals(java.util.Set.of("c1"), pool().users(theirs));
        assertEquals(1, pool().epoch(theirs));
        assertTrue(pool().isMounted(theirs));
        Filesystem back = pool().changeOwner(theirs, mine, false);
        assertFalse(back.readOnly());
        assertEquals(props, pool().properties(mine), "reclaimed");
        assertEquals(List.of("a"), pool().snapshots(mine));
        assertEquals(2, pool().epoch(mine));
        assertTrue(pool().isMounted(mine));
    }

    @Test
    void readOnlyEpochAndPendingAreSetInPlace() {
        VolumeId id = id("marks");
        pool().create(id, Path.of("/m"), false);
        assertTrue(pool().setReadOnly(id, true));
        assertFalse(pool().setReadOnly(id, true));
        assertTrue(pool().get(id).orElseThrow().readOnly());
        assertTrue(pool().isMounted(id), "read-only stays mounted");
        assertTrue(pool().setReadOnly(id, false));
        assertFalse(pool().get(id).orElseThrow().readOnly());
        pool().setEpoch(id, 7);
        assertEquals(7, pool().epoch(id));
        assertNull(pool().pending(id));
        pool().setPending(id, "destroy");
        assertEquals("destroy", pool().pending(id));
        pool().setPending(id, null);
        assertNull(pool().pending(id));
        assertThrows(VolumeNotFound.class, () -> pool().epoch(id("nothing")));
        assertThrows(VolumeNotFound.class, () -> pool().setReadOnly(id("nothing"), true));
        assertFalse(pool().isMounted(id("nothing")));
    }

    @Test
    void repairDerivesReadOnlyFromWhatTheCallerSaysAndMounts() {
        VolumeId id = id("fixme");
        pool().create(id, Path.of("/f"), false);
        assertEquals(List.of(), pool().repair(id, true), "all right: nothing done");
        pool().setReadOnly(id, true);
        pool().unmount(id);
        List<String> done = pool().repair(id, true);
        assertEquals(2, done.size(), done.toString());
        assertFalse(pool().get(id).orElseThrow().readOnly());
        assertTrue(pool().isMounted(id));
        List<String> foreign = pool().repair(id, false);
        assertEquals(1, foreign.size(), foreign.toString());
        assertTrue(foreign.get(0).contains("read-only"), foreign.toString());
        assertTrue(pool().get(id).orElseThrow().readOnly());
        assertEquals(List.of(), pool().repair(id, false));
    }

    // ---- tags and bookmarks -----------------------------------------------

    private static final String TAG = "io.flocker:test-tag";

    @Test
    void snapshotTagsAreSetAsTakenOrLaterAndOnlyTaggedOnesAreListed() {
        VolumeId id = id("tagged");
        pool().create(id, Path.of("/data"), false);
        pool().snapshot(id, "plain");
        pool().snapshot(id, "t1", java.util.Map.of(TAG, "node-x"));
        pool().snapshot(id, "later");
        pool().snapshot(id, "t2", java.util.Map.of(TAG, "node-y"));
        assertEquals(List.of("plain", "t1", "later", "t2"), pool().snapshots(id));
        assertEquals(java.util.Map.of("t1", "node-x", "t2", "node-y"), pool().taggedSnapshots(id, TAG));
        assertEquals(List.of("t1", "t2"), List.copyOf(pool().taggedSnapshots(id, TAG).keySet()), "oldest first");
        pool().tagSnapshot(id, "later", TAG, "received");
        assertEquals(List.of("t1", "later", "t2"), List.copyOf(pool().taggedSnapshots(id, TAG).keySet()));
        assertEquals(java.util.Map.of(), pool().taggedSnapshots(id, "io.flocker:other"));
        assertThrows(VolumeNotFound.class, () -> pool().tagSnapshot(id, "never", TAG, "x"));
        assertThrows(VolumeNotFound.class, () -> pool().taggedSnapshots(id("absent"), TAG));
        VolumeException bad = assertThrows(VolumeException.class, () -> pool().snapshot(id, "t3", java.util.Map.of("readonly", "on")));
        assertTrue(bad.getMessage().contains("readonly"), bad.getMessage());
        assertFalse(pool().snapshots(id).contains("t3"), "a refused tag takes no snapshot");
    }

    @Test
    void aTagOnTheFilesystemTagsNoSnapshot() {
        // Snapshots show their file system's user properties; only those set on the snapshot itself count.
        VolumeId src = id("inherits");
        pool().create(src, Path.of("/data"), false);
        pool().snapshot(src, "s1");
        VolumeId copy = copyOf(src);
        receive(copy, send(src, "s1", null));
        assertEquals(java.util.Map.of(), pool().taggedSnapshots(copy, TAG), "a received snapshot brings no tag along");
    }

    @Test
    void guidsTravelWithTheStream() {
        VolumeId src = id("guids");
        pool().create(src, Path.of("/data"), false);
        pool().snapshot(src, "s1");
        pool().snapshot(src, "s2");
        java.util.Map<String, Long> mine = pool().snapshotGuids(src);
        assertEquals(List.of("s1", "s2"), List.copyOf(mine.keySet()));
        assertFalse(mine.get("s1").equals(mine.get("s2")));
        VolumeId copy = copyOf(src);
        receive(copy, send(src, "s1", null));
        assertEquals(mine.get("s1"), pool().snapshotGuids(copy).get("s1"), "the copy's snapshot is the same snapshot");
    }

    @Test
    void anIncrementalStartsFromABookmarkWhenItsSnapshotIsGone() {
        VolumeId src = id("marked");
        pool().create(src, Path.of("/data"), false);
        pool().snapshot(src, "s1");
        VolumeId copy = copyOf(src);
        receive(copy, send(src, "s1", null));
        pool().bookmark(src, "s1", "base");
        assertEquals(java.util.Map.of("base", pool().snapshotGuids(src).get("s1")), pool().bookmarks(src));
        assertThrows(SnapshotExists.class, () -> pool().bookmark(src, "s1", "base"));
        assertThrows(VolumeNotFound.class, () -> pool().bookmark(src, "never", "other"));
        pool().snapshot(src, "s2");
        pool().destroySnapshots(src, List.of("s1"));
        assertEquals(List.of("s2"), pool().snapshots(src));
        long full = pool().estimateSend(src, "s2", null);
        long incremental = pool().estimateSend(src, "s2", "#base");
        assertTrue(incremental > 0 && incremental < full, incremental + " < " + full);
        assertEquals("s2", receive(copy, send(src, "s2", "#base")));
        assertEquals(List.of("s1", "s2"), pool().snapshots(copy));
        pool().destroyBookmarks(src, List.of("base", "never"));
        assertEquals(java.util.Map.of(), pool().bookmarks(src));
    }

    @Test
    void destroyTakesTheBookmarksAlong() {
        VolumeId id = id("bookmarked");
        pool().create(id, Path.of("/data"), false);
        pool().snapshot(id, "s");
        pool().bookmark(id, "s", "m");
        pool().destroy(id);
        assertTrue(pool().get(id).isEmpty());
        assertThrows(VolumeNotFound.class, () -> pool().bookmarks(id));
        pool().create(id, Path.of("/data"), false);
        assertEquals(java.util.Map.of(), pool().bookmarks(id), "a new volume of the old name has none of the old bookmarks");
        pool().snapshot(id, "only-bookmarked");
        pool().bookmark(id, "only-bookmarked", "m2");
        pool().destroySnapshots(id, List.of("only-bookmarked"));
        pool().destroy(id); // a bookmark with no snapshot left does not keep the volume either
        assertTrue(pool().get(id).isEmpty());
    }
}
