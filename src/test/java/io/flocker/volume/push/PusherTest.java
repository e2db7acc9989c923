package io.flocker.volume.push;

import static org.junit.jupiter.api.Assertions.*;

import io.flocker.volume.NotOwner;
import io.flocker.volume.StreamRefused;
import io.flocker.volume.Volume;
import io.flocker.volume.VolumeException;
import io.flocker.volume.VolumeId;
import io.flocker.volume.VolumeName;
import io.flocker.volume.VolumeDriver;
import io.flocker.volume.VolumeProperties;
import io.flocker.volume.ReceiveState;
import io.flocker.volume.VolumeService;
import io.flocker.volume.docker.FakeDataContainers;
import io.flocker.volume.memory.MemoryStoragePool;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Push and handoff logic between two in-memory nodes (the ITs do it over SSH on real ZFS). */
class PusherTest {
    private final UUID a = UUID.randomUUID(), b = UUID.randomUUID();
    private final MemoryStoragePool poolA = new MemoryStoragePool("flocker", Path.of("/flocker"));
    private final MemoryStoragePool poolB = new MemoryStoragePool("flocker", Path.of("/flocker"));
    private final FakeDataContainers dockerA = new FakeDataContainers(), dockerB = new FakeDataContainers();
    private final VolumeService nodeA = new VolumeService(a, poolA, dockerA);
    private final VolumeService nodeB = new VolumeService(b, poolB, dockerB);
    private final MemoryRemote remoteB = new MemoryRemote(nodeB);
    private long tick = 1_700_000_000_000L;
    private final Pusher pusher = new Pusher(nodeA, new Clock() {
        @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(java.time.ZoneId z) { return this; }
        @Override public Instant instant() { return Instant.ofEpochMilli(tick += 1000); }
    });
    private final VolumeName db = VolumeName.of("db");

    @Test
    void firstPushIsFullThenIncrementalFromTheNewestCommonSnapshot() {
        nodeA.create(db, Path.of("/var/db"));
        PushResult first = pusher.push(db, remoteB, PushOptions.defaults());
        assertFalse(first.incremental());
        VolumeId id = new VolumeId(a, db);
        Volume copy = nodeB.get(a, db).orElseThrow();
        assertTrue(copy.readOnly(), "the receiver's copy is read-only");
        assertFalse(copy.owned());
        assertEquals(Path.of("/var/db"), copy.mountPath());
        assertEquals(List.of(first.snapshot()), poolB.snapshots(id));

        PushResult second = pusher.push(db, remoteB, PushOptions.defaults());
        assertEquals(first.snapshot(), second.from(), "incremental from what both have");
        assertEquals(List.of(first.snapshot(), second.snapshot()), poolB.snapshots(id));
    }

    @Test
    void bothSidesKeepOnlyTheNewestPushSnapshots() {
        nodeA.create(db, Path.of("/var/db"));
        poolA.snapshot(new VolumeId(a, db), "mine"); // a user's own snapshot is never cleaned up
        for (int i = 0; i < 4; i++) pusher.push(db, remoteB, new PushOptions(2, TransferListener.NONE));
        List<String> here = poolA.snapshots(new VolumeId(a, db));
        List<String> there = poolB.snapshots(new VolumeId(a, db));
        assertEquals(3, here.size(), here.toString());
        assertTrue(here.contains("mine"));
        assertEquals(2, there.size(), there.toString());
        assertEquals(here.get(here.size() - 1), there.get(there.size() - 1), "the newest is on both sides");
    }

    @Test
    void onlyTheOwnerPushesAndNobodyReceivesOntoItsOwnVolume() {
        nodeB.create(db, Path.of("/x"));
        Pusher fromB = new Pusher(nodeB);
        fromB.push(db, new MemoryRemote(nodeA), PushOptions.defaults());
        assertThrows(NotOwner.class, () -> pusher.push(db, remoteB, PushOptions.defaults()),
            "node A holds only a copy of B's volume");
        assertThrows(NotOwner.class, () -> nodeB.receive(b, db, Path.of("/x"), new ByteArrayInputStream(new byte[0]), 2));
    }

    @Test
    void aDestinationThatIsThisNodeIsRefusedBeforeAnythingIsTakenOrSent() {
        nodeA.create(db, Path.of("/var/db"));
        VolumeId id = new VolumeId(a, db);
        MemoryStoragePool otherPool = new MemoryStoragePool("other", Path.of("/other"));
        MemoryRemote self = new MemoryRemote(new VolumeService(a, otherPool, new FakeDataContainers()));
        List<String> before = poolA.snapshots(id);
        for (java.util.function.Supplier<PushResult> op : List.<java.util.function.Supplier<PushResult>>of(
                () -> pusher.push(db, self, PushOptions.defaults()), () -> pusher.handoff(db, self, PushOptions.defaults()))) {
            VolumeException e = assertThrows(VolumeException.class, op::get);
            assertTrue(e.getMessage().contains("is this node (" + a + ")"), e.getMessage());
        }
        assertEquals(before, poolA.snapshots(id), "no snapshot taken");
        assertEquals(0, self.streams, "nothing sent");
        assertFalse(nodeA.get(db).orElseThrow().readOnly(), "still writable here");
        assertTrue(otherPool.list().isEmpty(), "nothing made there");
    }

    @Test
    void aCutPushIsResumedByTheNext() {
        nodeA.create(db, Path.of("/var/db"));
        remoteB.cutAfter = 100;
        RemoteCommandFailed f = assertThrows(RemoteCommandFailed.class, () -> pusher.push(db, remoteB, PushOptions.defaults()));
        assertTrue(f.getMessage().contains("ended early"), f.getMessage());
        VolumeId id = new VolumeId(a, db);
        assertTrue(nodeB.receiveState(a, db).resumeToken().isPresent());
        PushResult r = pusher.push(db, remoteB, PushOptions.defaults());
        assertTrue(r.resumedBytes() > 0, "the broken stream was finished first");
        assertTrue(r.incremental());
        assertTrue(nodeB.receiveState(a, db).resumeToken().isEmpty());
        assertEquals(poolA.snapshots(id).get(poolA.snapshots(id).size() - 1),
            poolB.snapshots(id).get(poolB.snapshots(id).size() - 1));
    }

    @Test
    void aResumeTokenForASnapshotNotTakenForThatReceiverGetsAFreshIncrementalNotThatSnapshot() {
        nodeA.create(db, Path.of("/var/db"));
        VolumeId id = new VolumeId(a, db);
        String older = pusher.push(db, remoteB, PushOptions.defaults()).snapshot();
        poolA.snapshot(id, "private"); // a user's own, never pushed
        poolA.snapshot(id, "for-c", java.util.Map.of(VolumeService.PUSH_TAG, UUID.randomUUID().toString()));
        // The last: by then it is no longer the newest taken for B (and kept, with --keep 10).
        for (String forged : List.of("mem:private:-", "mem:for-c:-", "mem:" + older + ":-")) {
            remoteB.forge = s -> new ReceiveState(s.exists(), s.snapshots(), java.util.Optional.of(forged), s.epoch(),
                s.newestOwner(), s.newestEpoch(), s.guids());
            PushResult r = pusher.push(db, remoteB, new PushOptions(10, TransferListener.NONE));
            assertTrue(poolA.snapshots(id).contains(older));
            assertEquals(0, r.resumedBytes(), forged);
            assertTrue(r.incremental(), forged);
            List<String> there = poolB.snapshots(id);
            assertFalse(there.contains("private") || there.contains("for-c"), forged + ": " + there);
            assertEquals(poolA.snapshots(id).get(poolA.snapshots(id).size() - 1), there.get(there.size() - 1));
        }
    }

    @Test
    void aPartialStateThatCannotBeResumedIsReplacedByAFreshStream() {
        nodeA.create(db, Path.of("/var/db"));
        pusher.push(db, remoteB, PushOptions.defaults());
        remoteB.cutAfter = 100;
        assertThrows(RemoteCommandFailed.class, () -> pusher.push(db, remoteB, PushOptions.defaults()));
        VolumeId id = new VolumeId(a, db);
        // The snapshot the broken stream was of is gone here, so it cannot be resumed.
        List<String> mine = poolA.snapshots(id);
        poolA.destroySnapshots(id, List.of(mine.get(mine.size() - 1)));
        PushResult r = pusher.push(db, remoteB, PushOptions.defaults());
        assertEquals(0, r.resumedBytes());
        assertTrue(r.incremental());
        assertTrue(nodeB.receiveState(a, db).resumeToken().isEmpty(), "the stale partial state was dropped");
        assertTrue(poolB.snapshots(id).contains(r.snapshot()));
    }

    @Test
    void garbageIsRefusedAndChangesNothing() {
        assertThrows(StreamRefused.class,
            () -> nodeB.receive(a, db, Path.of("/x"), new ByteArrayInputStream("not a stream".getBytes()), 2));
        assertTrue(nodeB.list().isEmpty());
    }

    @Test
    void handoffMovesOwnershipAndLeavesAReadOnlyCopy() {
        nodeA.create(db, Path.of("/var/db"));
        pusher.handoff(db, remoteB, PushOptions.defaults());
        Volume theirs = nodeB.get(db).orElseThrow();
        assertTrue(theirs.owned());
        assertFalse(theirs.readOnly());
        assertTrue(dockerB.all().containsKey("flocker-db-data"), "the new owner has the data container");
        assertTrue(nodeA.get(db).isEmpty(), "A owns nothing of that name");
        Volume copy = nodeA.get(b, db).orElseThrow();
        assertTrue(copy.readOnly());
        assertFalse(dockerA.all().containsKey("flocker-db-data"));
        assertEquals(poolB.snapshots(new VolumeId(b, db)), poolA.snapshots(new VolumeId(b, db)), "same history");
        // And back again: the new owner pushes incrementally to the old one.
        PushResult back = new Pusher(nodeB).push(db, new MemoryRemote(nodeA), PushOptions.defaults());
        assertTrue(back.incremental());
    }

    @Test
    void aFailedTakeoverLeavesTheOldOwnerOwning() {
        nodeA.create(db, Path.of("/var/db"));
        remoteB.acquireFails = new RemoteCommandFailed("no room there", 1, null);
        HandoffFailed f = assertThrows(HandoffFailed.class, () -> pusher.handoff(db, remoteB, PushOptions.defaults()));
        assertTrue(f.getMessage().contains("takeover") && f.getMessage().contains("owns it again"), f.getMessage());
        Volume v = nodeA.get(db).orElseThrow();
        assertTrue(v.owned());
        assertFalse(v.readOnly());
        assertTrue(poolA.isMounted(v.id()));
        assertTrue(dockerA.all().containsKey("flocker-db-data"));
        assertTrue(nodeB.get(db).isEmpty(), "B owns nothing");
        assertTrue(nodeB.get(a, db).orElseThrow().readOnly());
    }

    @Test
    void aPluginVolumeIsPushedAndHandedOffWithNoMountPathAndNoDataContainer() {
        nodeA.create(db, VolumeProperties.NONE);
        pusher.push(db, remoteB, PushOptions.defaults());
        Volume copy = nodeB.get(a, db).orElseThrow();
        assertNull(copy.mountPath(), "the copy records no mount path either");
        pusher.handoff(db, remoteB, PushOptions.defaults());
        Volume theirs = nodeB.get(db).orElseThrow();
        assertTrue(theirs.owned());
        assertFalse(theirs.readOnly());
        assertNull(theirs.mountPath());
        assertEquals(java.util.Map.of(), dockerB.all(), "no data container where there is no mount path");
        assertTrue(nodeA.get(b, db).orElseThrow().readOnly(), "A keeps a read-only copy");
        assertTrue(nodeA.get(db).isEmpty());
    }

    @Test
    void handoffOfAVolumeInUseIsRefusedNamingTheContainerAndTheVolumeStaysHere() {
        Volume v = nodeA.create(db, Path.of("/var/db"));
        dockerA.run("writer", v.mountpoint(), 4242);
        HandoffFailed f = assertThrows(HandoffFailed.class, () -> pusher.handoff(db, remoteB, PushOptions.defaults()));
        assertTrue(f.getMessage().contains("stopped before anything changed: cannot stop writes to volume 'db': it is in "
            + "use by running container writer (id-writer); stop them first, or let the handoff stop the containers "
            + "(--stop-containers); this node still owns it"), f.getMessage());
        assertTrue(nodeA.get(db).orElseThrow().owned());
        assertTrue(poolA.isMounted(v.id()));
        assertEquals(List.of(), dockerA.stopped());
    }

    @Test
    void handoffWithStopContainersStopsThemSaysSoAndMoves() {
        Volume v = nodeA.create(db, Path.of("/var/db"));
        dockerA.run("writer", v.mountpoint(), 4242);
        List<String> notes = new java.util.ArrayList<>();
        TransferListener l = new TransferListener() {
            @Override public void note(String message) { notes.add(message); }
        };
        pusher.handoff(db, remoteB, new PushOptions(2, l).withStopContainers(true));
        assertEquals(List.of("writer"), dockerA.stopped());
        assertEquals(List.of("stopped container writer (id-writer), which used volume 'db'"), notes);
        assertTrue(nodeB.get(db).orElseThrow().owned());
    }

    @Test
    void handoffToItselfIsRefused() {
        nodeA.create(db, Path.of("/var/db"));
        assertThrows(io.flocker.volume.VolumeException.class,
            () -> pusher.handoff(db, new MemoryRemote(nodeA), PushOptions.defaults()));
        assertTrue(nodeA.get(db).orElseThrow().owned());
    }

    @Test
    void newestCommon() {
        assertEquals("b", Pusher.newestCommon(List.of("a", "b", "c"), List.of("a", "b")));
        assertNull(Pusher.newestCommon(List.of("a"), List.of("x")));
        assertNull(Pusher.newestCommon(List.of(), List.of()));
    }

    // ---- per-destination bases, tags, the lock -----------------------------

    private final UUID c = UUID.randomUUID();
    private final MemoryStoragePool poolC = new MemoryStoragePool("flocker", Path.of("/flocker"));
    private final VolumeService nodeC = new VolumeService(c, poolC, new FakeDataContainers());
    private final MemoryRemote remoteC = new MemoryRemote(nodeC);

    @Test
    void manyPushesToOneDestinationLeaveTheOtherAnIncrementalBase() {
        nodeA.create(db, Path.of("/var/db"));
        VolumeId id = new VolumeId(a, db);
        PushOptions keepOne = new PushOptions(1, TransferListener.NONE);
        pusher.push(db, remoteB, keepOne);
        PushResult toC = pusher.push(db, remoteC, keepOne);
        for (int i = 0; i < 4; i++) pusher.push(db, remoteB, keepOne);
        assertFalse(poolA.snapshots(id).contains(toC.snapshot()), "C's snapshot was pruned here");
        PushResult again = pusher.push(db, remoteC, keepOne);
        assertTrue(again.incremental(), "from C's bookmark, not a full stream");
        assertEquals(toC.snapshot(), again.from());
        assertTrue(again.bytes() < toC.bytes(), again.bytes() + " < " + toC.bytes());
        assertEquals(again.snapshot(), poolC.snapshots(id).get(poolC.snapshots(id).size() - 1));
        // one bookmark per destination, each at what that destination has
        assertEquals(2, poolA.bookmarks(id).size(), poolA.bookmarks(id).toString());
        assertTrue(poolA.bookmarks(id).containsValue(poolC.snapshotGuids(id).get(again.snapshot())));
        PushResult b = pusher.push(db, remoteB, keepOne);
        assertTrue(b.incremental());
    }

    @Test
    void pushSnapshotsAreKnownByTheirTagSoAUsersFlockerSnapshotsStay() {
        nodeA.create(db, Path.of("/var/db"));
        VolumeId id = new VolumeId(a, db);
        poolA.snapshot(id, "flocker-before-upgrade");
        PushOptions keepOne = new PushOptions(1, TransferListener.NONE);
        PushResult last = null;
        for (int i = 0; i < 3; i++) last = pusher.push(db, remoteB, keepOne);
        assertEquals(List.of("flocker-before-upgrade", last.snapshot()), poolA.snapshots(id));
        assertEquals(java.util.Map.of(last.snapshot(), b.toString()), poolA.taggedSnapshots(id, VolumeService.PUSH_TAG),
            "tagged with the destination as taken");
        assertEquals(java.util.Map.of(last.snapshot(), VolumeService.RECEIVED_TAG),
            poolB.taggedSnapshots(id, VolumeService.PUSH_TAG), "the receiver tags what it took in");
        // an untagged snapshot on the receiver's side is not pruned either
        PushResult next = pusher.push(db, remoteB, new PushOptions(5, TransferListener.NONE));
        assertTrue(poolB.snapshots(id).containsAll(List.of(last.snapshot(), next.snapshot())));
    }

    @Test
    void twoConcurrentPushesOfOneVolumeAreSerialized() throws Exception {
        nodeA.create(db, Path.of("/var/db"));
        remoteB.duringReceive = () -> {
            try {
                Thread.sleep(100); // long enough for the other push to reach the same point if it could
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        var pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            var one = pool.submit(() -> pusher.push(db, remoteB, PushOptions.defaults()));
            var two = pool.submit(() -> pusher.push(db, remoteB, PushOptions.defaults()));
            PushResult r1 = one.get(), r2 = two.get();
            assertEquals(1, remoteB.mostAtOnce.get(), "one push at a time");
            PushResult later = r1.incremental() ? r1 : r2, earlier = later == r1 ? r2 : r1;
            assertFalse(earlier.incremental());
            assertEquals(earlier.snapshot(), later.from(), "the second started from what the first sent");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aPushWaitsForAVolumeAnotherOperationHoldsThenFailsNamingIt() throws Exception {
        nodeA.create(db, Path.of("/var/db"));
        VolumeService impatient = new VolumeService(a, poolA, dockerA,
            new io.flocker.volume.VolumeLocks(io.flocker.volume.VolumeLocks.defaults().directory(), java.time.Duration.ofMillis(300)));
        var other = java.util.concurrent.Executors.newSingleThreadExecutor();
        java.util.concurrent.CountDownLatch held = new java.util.concurrent.CountDownLatch(1), done = new java.util.concurrent.CountDownLatch(1);
        try {
            other.submit(() -> {
                try (var h = nodeA.lock(db, "plugin mount")) {
                    held.countDown();
                    done.await();
                }
                return null;
            });
            assertTrue(held.await(5, java.util.concurrent.TimeUnit.SECONDS));
            io.flocker.volume.VolumeBusy e = assertThrows(io.flocker.volume.VolumeBusy.class,
                () -> new Pusher(impatient).push(db, remoteB, PushOptions.defaults()));
            assertTrue(e.getMessage().contains("plugin mount") && e.getMessage().contains("push to memory-node"), e.getMessage());
            assertEquals(0, remoteB.streams, "nothing was sent");
            assertTrue(poolA.snapshots(new VolumeId(a, db)).isEmpty(), "nothing was snapshotted");
        } finally {
            done.countDown();
            other.shutdown();
        }
        assertNotNull(new Pusher(impatient).push(db, remoteB, PushOptions.defaults()), "free again: it goes");
    }

    @Test
    void aHandoffHoldsTheVolumeThroughoutSoAPluginMountMeanwhileWaits() {
        nodeA.create(db, Path.of("/var/db"));
        VolumeDriver impatient = new VolumeDriver(new VolumeService(a, poolA, dockerA,
            new io.flocker.volume.VolumeLocks(io.flocker.volume.VolumeLocks.defaults().directory(), java.time.Duration.ofMillis(200))));
        java.util.List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        remoteB.duringReceive = () -> {
            try {
                java.util.concurrent.CompletableFuture.runAsync(() -> impatient.mount(db, "container-1")).join();
                seen.add("mounted");
            } catch (java.util.concurrent.CompletionException e) {
                seen.add(e.getCause().getMessage());
            }
        };
        pusher.handoff(db, remoteB, PushOptions.defaults());
        assertEquals(2, seen.size(), seen.toString());
        for (String s : seen) assertTrue(s.contains("busy") && s.contains("hand off to memory-node"), s);
        assertTrue(nodeB.get(db).orElseThrow().owned());
    }
}
