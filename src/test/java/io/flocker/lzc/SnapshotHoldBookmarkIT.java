package io.flocker.lzc;

import static org.junit.jupiter.api.Assertions.*;

import io.flocker.lzc.errors.*;
import io.flocker.testbed.TestPool;
import io.flocker.testbed.WithTestPools;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** snapshot, destroy_snaps, snaprange_space, holds and bookmarks on a real pool. */
@WithTestPools(size = "256M")
class SnapshotHoldBookmarkIT {
    private static final AtomicInteger SEQ = new AtomicInteger();
    private final LibZfsCore lzc = LibZfsCore.open();
    private final TestPool pool;

    SnapshotHoldBookmarkIT(TestPool pool) {
        this.pool = pool;
    }

    private String fs() {
        String fs = pool.ds("fs" + SEQ.incrementAndGet());
        lzc.create(fs);
        return fs;
    }

    @Test
    void manySnapshotsInOneTransactionGroup() {
        String a = fs(), b = fs(), c = fs();
        lzc.snapshot(List.of(a + "@t", b + "@t", c + "@t"), Map.of("io.flocker:why", "test"));
        String txgA = pool.get(a + "@t", "createtxg");
        assertEquals(txgA, pool.get(b + "@t", "createtxg"), "one txg");
        assertEquals(txgA, pool.get(c + "@t", "createtxg"), "one txg");
        assertEquals("test", pool.get(b + "@t", "io.flocker:why"));
    }

    @Test
    void snapshotIsAllOrNothingAndNamesEachFailure() {
        String a = fs(), b = fs();
        lzc.snapshot(a + "@exists");
        String missing = pool.ds("missing" + SEQ.incrementAndGet());
        List<String> before = pool.all();
        SnapshotFailure f = assertThrows(SnapshotFailure.class,
            () -> lzc.snapshot(List.of(a + "@exists", b + "@exists", missing + "@exists"), Map.of()));
        assertEquals(before, pool.all(), "nothing was made: " + f.getMessage());
        assertFalse(f.errors().isEmpty());
        for (ZfsException e : f.errors()) {
            if (e instanceof SnapshotExists) assertEquals(a + "@exists", e.name());
            else if (e instanceof FilesystemNotFound) assertEquals(missing, e.name());
            else fail("unexpected per-name error " + e);
        }
        refusedHere(SnapshotFailure.class, DuplicateSnapshots.class, 1, () -> lzc.snapshot(List.of(a + "@x", a + "@y"), Map.of()));
        refusedHere(SnapshotFailure.class, PoolsDiffer.class, 1, () -> lzc.snapshot(List.of(a + "@x", "otherpool/b@x"), Map.of()));
        refusedHere(SnapshotFailure.class, PropertyInvalid.class, 1,
            () -> lzc.snapshot(List.of(a + "@x"), Map.of("compression", "lz4")));
        refusedHere(SnapshotFailure.class, SnapshotNameInvalid.class, 1, () -> lzc.snapshot(a + "@bad name!"));
        assertEquals(before, pool.all());
    }

    /**
     * Names refused here, before the kernel, come in the call's own failure
     * with one entry per bad name, as the kernel's refusals do (and as the
     * Javadoc says): a caller catching SnapshotFailure or HoldFailure misses
     * none. Nothing is changed.
     */
    @Test
    void namesRefusedBeforeTheKernelComeInTheCallsOwnFailureOnePerName() {
        String a = fs();
        lzc.snapshot(a + "@1");
        List<String> before = pool.all();
        refusedHere(SnapshotFailure.class, SnapshotNameInvalid.class, 2,
            () -> lzc.snapshot(List.of(a + "@ok", a + "@bad!name", a + "@also*bad"), Map.of()));
        refusedHere(SnapshotDestructionFailure.class, SnapshotNameInvalid.class, 2,
            () -> lzc.destroySnapshots(List.of(a + "@1", a + "@bad!name", a), false));
        refusedHere(HoldFailure.class, NameInvalid.class, 2,
            () -> lzc.hold(Map.of(a + "@1", "", a + "@bad!name", "tag"), -1));
        refusedHere(HoldReleaseFailure.class, NameInvalid.class, 1, () -> lzc.release(Map.of(a + "@x@y", List.of("t"))));
        refusedHere(BookmarkFailure.class, NameInvalid.class, 2,
            () -> lzc.bookmark(Map.of(a + "#ok", a + "@1", a + "#bad!mark", a + "@1", a + "#m2", "no@such@name")));
        refusedHere(BookmarkDestructionFailure.class, BookmarkNameInvalid.class, 1,
            () -> lzc.destroyBookmarks(List.of(a + "#fine", a + "@notabookmark")));
        refusedHere(HoldFailure.class, PoolsDiffer.class, 1, () -> lzc.hold(Map.of(a + "@1", "t", "otherpool/x@1", "t"), -1));
        assertEquals(before, pool.all(), "nothing changed");
        assertTrue(lzc.getHolds(a + "@1").isEmpty(), "no hold was taken");
    }

    private static void refusedHere(Class<? extends MultipleOperationsFailure> wrapper, Class<? extends ZfsException> each,
                                    int count, org.junit.jupiter.api.function.Executable call) {
        MultipleOperationsFailure f = assertThrows(wrapper, call);
        assertEquals(count, f.errors().size(), f.getMessage());
        for (ZfsException e : f.errors()) {
            assertInstanceOf(each, e, f.getMessage());
            assertNotNull(e.name(), "each names what it refused: " + f.getMessage());
            assertTrue(f.getMessage().contains(e.name()), f.getMessage());
        }
        assertEquals(0, f.errno(), "refused before the kernel: " + f.getMessage());
    }

    @Test
    void destroySnapshotsIsAtomicAndSkipsMissingOnes() {
        String a = fs(), b = fs();
        lzc.snapshot(List.of(a + "@1", b + "@1"), Map.of());
        lzc.destroySnapshots(List.of(a + "@1", b + "@1", a + "@never"), false);
        assertFalse(pool.has(a + "@1"));
        assertFalse(pool.has(b + "@1"));
    }

    @Test
    void heldAndClonedSnapshotsBlockDestroyUnlessDeferred() {
        String a = fs();
        lzc.snapshot(a + "@held");
        lzc.snapshot(a + "@cloned");
        lzc.snapshot(a + "@free");
        lzc.hold(Map.of(a + "@held", "keep"), -1);
        String clone = pool.ds("clone" + SEQ.incrementAndGet());
        lzc.clone(clone, a + "@cloned", Map.of());

        SnapshotDestructionFailure held = assertThrows(SnapshotDestructionFailure.class,
            () -> lzc.destroySnapshots(List.of(a + "@held", a + "@free"), false));
        assertInstanceOf(SnapshotIsHeld.class, held.errors().get(0));
        assertTrue(pool.has(a + "@free"), "all or nothing: the free one stays too");
        SnapshotDestructionFailure cloned = assertThrows(SnapshotDestructionFailure.class,
            () -> lzc.destroySnapshots(List.of(a + "@cloned"), false));
        assertInstanceOf(SnapshotIsCloned.class, cloned.errors().get(0));
        assertEquals(a + "@cloned", cloned.errors().get(0).name());

        lzc.destroySnapshots(List.of(a + "@held"), true);
        assertTrue(pool.has(a + "@held"), "deferred while held");
        assertEquals("on", pool.get(a + "@held", "defer_destroy"));
        lzc.release(Map.of(a + "@held", List.of("keep")));
        assertFalse(pool.has(a + "@held"), "gone with its last hold");
    }

    @Test
    void snaprangeSpace() throws Exception {
        String a = fs();
        lzc.snapshot(a + "@1");
        lzc.snapshot(a + "@2");
        assertTrue(lzc.snaprangeSpace(a + "@1", a + "@2") >= 0);
        String b = fs();
        lzc.snapshot(b + "@1");
        assertThrows(SnapshotMismatch.class, () -> lzc.snaprangeSpace(a + "@1", b + "@1"));
        assertEquals(a + "@0", assertThrows(SnapshotNotFound.class, () -> lzc.snaprangeSpace(a + "@0", a + "@2")).name());
    }

    @Test
    void holdsAndReleases() {
        String a = fs();
        lzc.snapshot(a + "@s");
        String gone = a + "@gone";
        List<String> missing = lzc.hold(Map.of(a + "@s", "tag1", gone, "tag1"), -1);
        assertEquals(List.of(gone), missing, "a missing snapshot is reported, not raised");
        lzc.hold(Map.of(a + "@s", "tag2"), -1);
        Map<String, Long> holds = lzc.getHolds(a + "@s");
        assertEquals(java.util.Set.of("tag1", "tag2"), holds.keySet());
        assertTrue(holds.get("tag1") > 1_600_000_000L, "hold times are epoch seconds");

        HoldFailure dup = assertThrows(HoldFailure.class, () -> lzc.hold(Map.of(a + "@s", "tag1"), -1));
        assertInstanceOf(HoldExists.class, dup.errors().get(0));
        refusedHere(HoldFailure.class, NameTooLong.class, 1, () -> lzc.hold(Map.of(a + "@s", "t".repeat(300)), -1));

        // The kernel skips what is not there and says so; the others are released.
        assertEquals(List.of(a + "@s#no-such-tag"), lzc.release(Map.of(a + "@s", List.of("no-such-tag"))));
        assertEquals(2, lzc.getHolds(a + "@s").size());
        assertEquals(List.of(a + "@s#no-such-tag"), lzc.release(Map.of(a + "@s", List.of("tag1", "no-such-tag"))));
        assertEquals(java.util.Set.of("tag2"), lzc.getHolds(a + "@s").keySet());
        assertEquals(List.of(gone), lzc.release(Map.of(gone, List.of("tag2"), a + "@s", List.of("tag2"))));
        assertEquals(Map.of(), lzc.getHolds(a + "@s"));
        assertThrows(SnapshotNotFound.class, () -> lzc.getHolds(gone));
    }

    @Test
    void temporaryHoldsGoWithTheirDescriptor() {
        String a = fs();
        lzc.snapshot(a + "@s");
        int fd = lzc.openCleanupDescriptor();
        try {
            lzc.hold(Map.of(a + "@s", "temp"), fd);
            assertEquals(java.util.Set.of("temp"), lzc.getHolds(a + "@s").keySet());
        } finally {
            lzc.closeDescriptor(fd);
        }
        assertEquals(Map.of(), lzc.getHolds(a + "@s"), "closing the descriptor released the hold");
        assertThrows(BadHoldCleanupFd.class, () -> lzc.hold(Map.of(a + "@s", "temp"), 987654));
        assertEquals(Map.of(), lzc.getHolds(a + "@s"));
    }

    @Test
    void bookmarks() {
        String a = fs();
        lzc.snapshot(a + "@s1");
        lzc.snapshot(a + "@s2");
        lzc.bookmark(Map.of(a + "#m1", a + "@s1", a + "#m2", a + "@s2"));
        Map<String, Map<String, Object>> marks = lzc.getBookmarks(a);
        assertEquals(List.of(a + "#m1", a + "#m2"), List.copyOf(marks.keySet()), "oldest first");
        assertEquals(Long.parseUnsignedLong(pool.get(a + "@s1", "guid")), marks.get(a + "#m1").get("guid"));
        assertEquals(marks.get(a + "#m2").get("guid"), lzc.getBookmarkProps(a + "#m2").get("guid"));

        BookmarkFailure exists = assertThrows(BookmarkFailure.class, () -> lzc.bookmark(Map.of(a + "#m1", a + "@s2")));
        assertInstanceOf(BookmarkExists.class, exists.errors().get(0));
        BookmarkFailure nosnap = assertThrows(BookmarkFailure.class, () -> lzc.bookmark(Map.of(a + "#m3", a + "@none")));
        assertInstanceOf(SnapshotNotFound.class, nosnap.errors().get(0));
        refusedHere(BookmarkFailure.class, BookmarkMismatch.class, 1, () -> lzc.bookmark(Map.of(a + "#m4", pool.ds("other@s1"))));
        assertFalse(lzc.exists(a + "#m3"));

        lzc.destroyBookmarks(List.of(a + "#m1", a + "#never"));
        assertEquals(List.of(a + "#m2"), List.copyOf(lzc.getBookmarks(a).keySet()));
        assertThrows(BookmarkNotFound.class, () -> lzc.getBookmarkProps(a + "#m1"));
        assertThrows(FilesystemNotFound.class, () -> lzc.getBookmarks(pool.ds("nothing")));
    }
}
