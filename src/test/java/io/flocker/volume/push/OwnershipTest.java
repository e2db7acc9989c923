package io.flocker.volume.push;

import io.flocker.ssh.SshFailed;
import io.flocker.volume.NotOwner;
import io.flocker.volume.ReceiveState;
import io.flocker.volume.Volume;
import io.flocker.volume.VolumeId;
import io.flocker.volume.VolumeName;
import io.flocker.volume.VolumeProperties;
import io.flocker.volume.VolumeService;
import io.flocker.volume.docker.FakeDataContainers;
import io.flocker.volume.memory.MemoryStoragePool;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Ownership between two in-memory nodes: one owner whatever outcome a
 * takeover has, epochs, idempotent acquire, and what repair puts right
 * (FailPointsIT kills real processes on real ZFS at every step).
 */
class OwnershipTest {
    private final UUID a = UUID.randomUUID(), b = UUID.randomUUID();
    private final MemoryStoragePool poolA = new MemoryStoragePool("flocker", Path.of("/flocker"));
    private final MemoryStoragePool poolB = new MemoryStoragePool("flocker", Path.of("/flocker"));
    private final FakeDataContainers dockerA = new FakeDataContainers(), dockerB = new FakeDataContainers();
    private final VolumeService nodeA = new VolumeService(a, poolA, dockerA);
    private final VolumeService nodeB = new VolumeService(b, poolB, dockerB);
    private final MemoryRemote remoteB = new MemoryRemote(nodeB);
    private final Pusher pusher = new Pusher(nodeA);
    private final VolumeName db = VolumeName.of("db");

    /** Writable owners of db on both nodes together. */
    private List<String> writableOwners() {
        return java.util.stream.Stream.of(nodeA, nodeB)
            .flatMap(n -> n.list().stream().filter(v -> v.name().equals(db) && v.owned() && !v.readOnly())
                .map(v -> v.owner().toString()))
            .toList();
    }

    @Test
    void aLostReplyAfterTheTakeoverIsAskedAboutAndLeavesOneOwner() {
        nodeA.create(db, Path.of("/var/db"));
        remoteB.acquireReplyLost = new RemoteCommandFailed("the connection ended before the command did", -1, null);
        pusher.handoff(db, remoteB, PushOptions.defaults());
        assertEquals(List.of(b.toString()), writableOwners());
        assertTrue(nodeA.get(b, db).orElseThrow().readOnly(), "A keeps a read-only copy, not its own volume");
        assertTrue(nodeA.get(db).isEmpty());
        assertEquals(2, remoteB.acquires, "asked, found owned there, finished by a second (idempotent) acquire");
    }

    @Test
    void anUnknownOutcomeWithTheOtherNodeUnreachableLeavesTheVolumeReleasedAndSaysHowToFinish() {
        nodeA.create(db, Path.of("/var/db"));
        remoteB.unreachable = new SshFailed("connection refused");
        HandoffFailed f = assertThrows(HandoffFailed.class, () -> pusher.handoff(db, remoteB, PushOptions.defaults()));
        assertTrue(f.getMessage().contains("is unknown") && f.getMessage().contains("released"), f.getMessage());
        assertTrue(f.getMessage().contains("'flocker-volume acquire " + a + " db' there"), f.getMessage());
        assertEquals(List.of(), writableOwners(), "nobody writes until the move is finished");
        assertTrue(nodeA.get(b, db).orElseThrow().readOnly());
        remoteB.unreachable = null;
        nodeB.acquire(a, db);
        assertEquals(List.of(b.toString()), writableOwners(), "the command it named finishes the move");
    }

    @Test
    void anUnknownOutcomeWhereTheOtherNodeDidNotTakeOverIsAskedOnceMore() {
        nodeA.create(db, Path.of("/var/db"));
        // The first ask says "not owned", the second acquire succeeds.
        MemoryRemote flaky = new MemoryRemote(nodeB) {
            @Override
            public void acquire(VolumeId id) {
                if (acquires++ == 0) throw new SshFailed("channel closed");
                service.acquire(id.owner(), id.name());
            }
        };
        pusher.handoff(db, flaky, PushOptions.defaults());
        assertEquals(List.of(b.toString()), writableOwners());
        assertEquals(2, flaky.acquires);
    }

    @Test
    void aReportedFailureThatLeftTheVolumeThereIsNotTakenBack() {
        nodeA.create(db, Path.of("/var/db"));
        // It took over, then failed (say, its undo failed) and said so with an exit status.
        remoteB.acquireReplyLost = new RemoteCommandFailed("undoing it failed too", 1, null);
        pusher.handoff(db, remoteB, PushOptions.defaults());
        assertEquals(List.of(b.toString()), writableOwners());
        assertTrue(nodeA.get(db).isEmpty());
    }

    @Test
    void acquireIsIdempotentAndEpochsCountOwnerChanges() {
        nodeA.create(db, Path.of("/var/db"));
        assertEquals(0, nodeA.epoch(db));
        pusher.handoff(db, remoteB, PushOptions.defaults());
        assertEquals(1, nodeB.epoch(db), "taken over once");
        assertEquals(1, poolA.epoch(new VolumeId(b, db)), "the former owner's copy knows the new epoch too");
        Volume again = nodeB.acquire(a, db);
        assertTrue(again.owned() && !again.readOnly());
        assertEquals(1, nodeB.epoch(db), "acquiring what it owns changes nothing");
        new Pusher(nodeB).handoff(db, new MemoryRemote(nodeA), PushOptions.defaults());
        assertEquals(2, nodeA.epoch(db));
    }

    @Test
    void aFormerOwnersPushIsRefusedByTheReceiverAndItsStateShowsTheNewerOwner() {
        nodeA.create(db, Path.of("/var/db"));
        pusher.push(db, remoteB, PushOptions.defaults());
        // A is cut off; B takes over its copy (an operator's choice), A never learnt it.
        nodeB.acquire(a, db);
        ReceiveState st = nodeB.receiveState(a, db);
        assertEquals(java.util.Optional.of(b), st.newestOwner());
        assertEquals(1, st.newestEpoch());
        assertEquals(0, nodeA.epoch(db));
        NotOwner refused = assertThrows(NotOwner.class,
            () -> nodeB.receive(a, db, Path.of("/var/db"), new java.io.ByteArrayInputStream(new byte[0]), 3, 0));
        assertTrue(refused.getMessage().contains("former owner") && refused.getMessage().contains("epoch 1"),
            refused.getMessage());
        NotOwner bySender = assertThrows(NotOwner.class, () -> pusher.push(db, remoteB, PushOptions.defaults()));
        assertTrue(bySender.getMessage().contains("former owner"), bySender.getMessage());
    }

    @Test
    void propertiesSurviveReleaseReclaimAndHandoff() {
        VolumeProperties props = VolumeProperties.of(Map.of("quota", "64M", "compression", "lz4"));
        Volume v = nodeA.create(db, props);
        nodeA.release(db, b);
        assertEquals(props, poolA.properties(new VolumeId(b, db)));
        nodeA.reclaim(b, db);
        assertEquals(props, poolA.properties(v.id()));
    }

    @Test
    void repairPutsRightWhatAKilledHandoffOrDestroyLeft() {
        Volume v = nodeA.create(db, Path.of("/var/db"));
        // Killed after stopping writes, before the rename: our own name, read-only.
        nodeA.stopWrites(db);
        poolA.unmount(v.id());
        dockerA.remove(db);
        List<String> done = nodeA.repair(db);
        assertEquals(3, done.size(), done.toString());
        assertFalse(nodeA.get(db).orElseThrow().readOnly(), "ours by its name: writable again");
        assertTrue(poolA.isMounted(v.id()));
        assertTrue(dockerA.exists(db));
        assertEquals(List.of(), nodeA.repair(), "all right now");
        // Killed after the rename of a release: the new owner's name, read-only: already right.
        nodeA.release(db, b);
        poolA.setReadOnly(new VolumeId(b, db), false);
        assertEquals(1, nodeA.repair().size());
        assertTrue(nodeA.get(b, db).orElseThrow().readOnly(), "another node's by its name: read-only");
        // A destroy begun is finished, by repair or by the next command on the volume.
        nodeA.reclaim(b, db);
        poolA.setPending(v.id(), "destroy");
        assertThrows(io.flocker.volume.VolumeNotFound.class, () -> nodeA.destroy(db));
        assertTrue(nodeA.list().isEmpty());
        assertFalse(dockerA.exists(db));
    }
}
