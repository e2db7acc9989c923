package io.flocker.volume.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.spy;

import ch.qos.logback.classic.Level;
import io.flocker.testbed.LogCapture;
import io.flocker.volume.StorageException;
import io.flocker.volume.VolumeId;
import io.flocker.volume.VolumeName;
import io.flocker.volume.VolumeService;
import io.flocker.volume.docker.FakeDataContainers;
import io.flocker.volume.docker.ImageNotFound;
import io.flocker.volume.memory.MemoryStoragePool;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What a service embedding the library sees in its own log: a line for each
 * state change, naming the volume, its node and the peer, and a warning for
 * each step that failed half-way and what was undone.
 */
class StateChangeLogTest {
    private final UUID a = UUID.randomUUID(), b = UUID.randomUUID();
    private final MemoryStoragePool poolA = spy(new MemoryStoragePool("flocker", Path.of("/flocker")));
    private final MemoryStoragePool poolB = new MemoryStoragePool("flocker", Path.of("/flocker"));
    private final FakeDataContainers dockerA = spy(new FakeDataContainers());
    private final FakeDataContainers dockerB = spy(new FakeDataContainers());
    private final VolumeService nodeA = new VolumeService(a, poolA, dockerA);
    private final VolumeService nodeB = new VolumeService(b, poolB, dockerB);
    private final MemoryRemote remoteB = new MemoryRemote(nodeB);
    private final VolumeName db = VolumeName.of("db");
    private final LogCapture log = LogCapture.start();

    @AfterEach
    void stop() {
        log.close();
    }

    @Test
    void createPushPruneHandoffAndDestroyEachLogWhatChanged() {
        nodeA.create(db, Path.of("/var/db"));
        log.find(Level.INFO, "created volume 'db' of node " + a, "/flocker/" + a + ".db", "flocker-db-data");

        Pusher pusher = new Pusher(nodeA);
        PushResult first = pusher.push(db, remoteB, new PushOptions(1, TransferListener.NONE));
        log.find(Level.INFO, "received snapshot " + first.snapshot(), "volume 'db' of node " + a, "epoch 0");
        log.find(Level.INFO, "pushed volume 'db' of node " + a, remoteB.describe(), "node " + b, first.snapshot(),
            "in full", first.bytes() + " bytes");

        PushResult second = pusher.push(db, remoteB, new PushOptions(1, TransferListener.NONE));
        log.find(Level.INFO, "pushed volume 'db'", "changes since " + first.snapshot());
        log.find(Level.INFO, "pruned 1 push snapshot(s) of volume 'db' of node " + a, first.snapshot());

        pusher.handoff(db, remoteB, PushOptions.defaults());
        log.find(Level.INFO, "stopped writes to volume 'db' of node " + a);
        log.find(Level.INFO, "released volume 'db' of node " + a + " to node " + b);
        log.find(Level.INFO, "acquire of volume 'db' from node " + a, "this node (" + b + ") owns it now");
        log.find(Level.INFO, "handed volume 'db' off to " + remoteB.describe(), "node " + b, "writes were stopped for");
        assertEquals(List.of(), log.at(Level.WARN), "nothing failed");

        nodeB.destroy(db);
        log.find(Level.INFO, "destroyed volume 'db' of node " + b);
        assertTrue(second.incremental());
    }

    @Test
    void aCreateUndoneAtItsContainerIsAWarning() {
        doThrow(new ImageNotFound("nosuch", null)).when(dockerA).create(any(), any(), any());
        assertThrows(ImageNotFound.class, () -> nodeA.create(db, Path.of("/d")));
        log.find(Level.WARN, "creating volume 'db' of node " + a, "failed at its data container", "nosuch",
            "destroyed again");

        doThrow(new StorageException("the pool is stuck", null)).when(poolA).destroy(any());
        VolumeName other = VolumeName.of("other");
        assertThrows(ImageNotFound.class, () -> nodeA.create(other, Path.of("/d")));
        log.find(Level.WARN, "creating volume 'other' of node " + a, "destroying its file system again failed too",
            "the pool is stuck", "flocker-volume destroy other");
        assertTrue(log.at(Level.INFO).stream().noneMatch(l -> l.message().startsWith("created")), log.lines().toString());
    }

    @Test
    void aTakeoverRefusedThereIsTakenBackWithAWarning() {
        nodeA.create(db, Path.of("/var/db"));
        remoteB.acquireFails = new RemoteCommandFailed("no room there", 1, null);
        assertThrows(HandoffFailed.class, () -> new Pusher(nodeA).handoff(db, remoteB, PushOptions.defaults()));
        log.find(Level.INFO, "reclaim of volume 'db' from node " + b, "this node (" + a + ") owns it now");
        log.find(Level.WARN, "handoff of volume 'db' to " + remoteB.describe(), "takeover there", "no room there",
            "took it back");
    }

    @Test
    void aFinalPushThatFailsMakesTheVolumeWritableAgainWithAWarning() {
        nodeA.create(db, Path.of("/var/db"));
        Pusher pusher = new Pusher(nodeA);
        pusher.push(db, remoteB, PushOptions.defaults());
        // the first push of the handoff goes through; the final one is refused there
        remoteB.duringReceive = () -> {
            if (nodeA.get(db).orElseThrow().readOnly()) throw new RemoteCommandFailed("disk full there", 1, null);
        };
        assertThrows(HandoffFailed.class, () -> pusher.handoff(db, remoteB, PushOptions.defaults()));
        log.find(Level.INFO, "resumed writes to volume 'db' of node " + a);
        log.find(Level.WARN, "handoff of volume 'db'", "final push", "disk full there", "writable again");
    }

    @Test
    void aReleaseUndoneAtItsRenameMakesTheContainerAgainWithAWarning() {
        nodeA.create(db, Path.of("/var/db"));
        doThrow(new StorageException("rename refused", null)).when(poolA).changeOwner(any(), any(), any(Boolean.class));
        assertThrows(StorageException.class, () -> nodeA.release(db, b));
        log.find(Level.WARN, "releasing volume 'db' of node " + a, "rename refused", "data container is made again");
        assertTrue(dockerA.all().containsKey("flocker-db-data"));
        assertTrue(nodeA.get(db).isPresent());
        assertEquals(new VolumeId(a, db), nodeA.get(db).orElseThrow().id());
    }
}
