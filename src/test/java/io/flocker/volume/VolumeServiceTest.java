package io.flocker.volume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doCallRealMethod;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.spy;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;

import io.flocker.volume.docker.DataContainers;
import io.flocker.volume.docker.DockerUnavailable;
import io.flocker.volume.docker.FakeDataContainers;
import io.flocker.volume.docker.ImageNotFound;
import io.flocker.volume.memory.MemoryStoragePool;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class VolumeServiceTest {
    private final UUID node = UUID.randomUUID();
    private final UUID other = UUID.randomUUID();
    private final MemoryStoragePool pool = spy(new MemoryStoragePool("flocker", Path.of("/flocker")));
    private final FakeDataContainers docker = spy(new FakeDataContainers());
    private final VolumeService service = new VolumeService(node, pool, docker);

    private Path mountpoint(UUID owner, String name) {
        return Path.of("/flocker", owner + "." + name);
    }

    @Test
    void aReceiveKeepingNothingIsRefusedBeforeTheStreamIsRead() {
        java.io.ByteArrayInputStream in = new java.io.ByteArrayInputStream(new byte[1000]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> service.receive(other, VolumeName.of("web"), Path.of("/www"), in, 0, 1));
        assertTrue(e.getMessage().contains("not 0"), e.getMessage());
        assertEquals(1000, in.available(), "not a byte read");
        assertTrue(service.get(other, VolumeName.of("web")).isEmpty());
    }

    @Test
    void createMakesTheFilesystemAndTheDataContainer() {
        Volume v = service.create(VolumeName.of("web"), Path.of("/var/www"));
        assertEquals(new Volume(node, VolumeName.of("web"), Path.of("/var/www"), "flocker/" + node + ".web",
            mountpoint(node, "web"), true, false, 0), v);
        assertEquals(Map.of("flocker-web-data", new FakeDataContainers.Container(mountpoint(node, "web"), Path.of("/var/www"))),
            docker.all());
        assertEquals(Optional.of(v), service.get(VolumeName.of("web")));
        assertEquals(List.of(v), service.list());
    }

    @Test
    void createFromTextChecksBothInputs() {
        assertEquals(Path.of("/d"), service.create("x", "/d").mountPath());
        assertThrows(InvalidVolumeName.class, () -> service.create("x/y", "/d"));
        assertThrows(InvalidMountPath.class, () -> service.create("y", "d"));
        assertEquals(1, pool.list().size());
    }

    @Test
    void badMountPathChangesNothing() {
        DataContainers containers = mock(DataContainers.class);
        StoragePool storage = mock(StoragePool.class);
        VolumeService s = new VolumeService(node, storage, containers);
        for (String bad : List.of("relative", "/a:b", "/")) {
            InvalidMountPath e = assertThrows(InvalidMountPath.class, () -> s.create(VolumeName.of("v"), Path.of(bad)));
            assertTrue(e.getMessage().contains(VolumeException.quote(bad)), e.getMessage());
        }
        verifyNoInteractions(storage, containers);
    }

    @Test
    void nameTooLongForThePoolChangesNothing() {
        DataContainers containers = mock(DataContainers.class);
        StoragePool storage = mock(StoragePool.class);
        org.mockito.Mockito.when(storage.name()).thenReturn("a-rather-long-pool-name");
        VolumeService s = new VolumeService(node, storage, containers);
        VolumeName n = VolumeName.of("n".repeat(VolumeName.maxLength("a-rather-long-pool-name") + 1));
        InvalidVolumeName e = assertThrows(InvalidVolumeName.class, () -> s.create(n, Path.of("/d")));
        assertTrue(e.getMessage().contains("'a-rather-long-pool-name'"), e.getMessage());
        verify(storage).name();
        org.mockito.Mockito.verifyNoMoreInteractions(storage);
        verifyNoInteractions(containers);
    }

    @Test
    void duplicateCreateTouchesNoContainer() {
        service.create(VolumeName.of("dup"), Path.of("/a"));
        VolumeExists e = assertThrows(VolumeExists.class, () -> service.create(VolumeName.of("dup"), Path.of("/b")));
        assertTrue(e.getMessage().contains("'dup'"), e.getMessage());
        verify(docker, org.mockito.Mockito.times(1)).create(any(), any(), any());
        assertEquals(Path.of("/a"), docker.all().get("flocker-dup-data").mountPath());
    }

    @Test
    void containerFailureDestroysTheNewFilesystem() {
        ImageNotFound missing = new ImageNotFound("nosuch", null);
        doThrow(missing).when(docker).create(any(), any(), any());
        assertSame(missing, assertThrows(ImageNotFound.class, () -> service.create(VolumeName.of("v"), Path.of("/d"))));
        assertEquals(List.of(), pool.list(), "no dataset without its container");
        assertEquals(Map.of(), docker.all());
    }

    @Test
    void unreachableDaemonLeavesNothing() {
        doThrow(new DockerUnavailable("unix:///var/run/docker.sock", new java.io.IOException("Connection refused")))
            .when(docker).create(any(), any(), any());
        DockerUnavailable e = assertThrows(DockerUnavailable.class, () -> service.create(VolumeName.of("v"), Path.of("/d")));
        assertTrue(e.getMessage().contains("Connection refused"), e.getMessage());
        assertEquals(List.of(), pool.list());
    }

    @Test
    void failedUndoIsReportedAlongsideTheCause() {
        doThrow(new ImageNotFound("nosuch", null)).when(docker).create(any(), any(), any());
        VolumeBusy stuck = new VolumeBusy("cannot destroy: busy", null);
        doThrow(stuck).when(pool).destroy(any());
        ImageNotFound e = assertThrows(ImageNotFound.class, () -> service.create(VolumeName.of("v"), Path.of("/d")));
        assertEquals(List.of(stuck), List.of(e.getSuppressed()));
    }

    @Test
    void storageFailureMakesNoContainer() {
        doThrow(new StorageException("cannot create volume 'v': the pool is full", null)).when(pool).create(any(), any(),
            org.mockito.ArgumentMatchers.anyBoolean());
        assertThrows(StorageException.class, () -> service.create(VolumeName.of("v"), Path.of("/d")));
        verifyNoInteractions(docker);
    }

    @Test
    void otherNodesVolumesAreListedAsNotOwned() {
        pool.create(new VolumeId(other, VolumeName.of("b")), Path.of("/data"), true);
        service.create(VolumeName.of("a"), Path.of("/data"));
        service.create(VolumeName.of("b"), Path.of("/data"));
        List<Volume> all = service.list();
        assertEquals(List.of("a", "b", "b"), all.stream().map(v -> v.name().value()).toList());
        Volume foreign = all.stream().filter(v -> v.owner().equals(other)).findFirst().orElseThrow();
        assertFalse(foreign.owned());
        assertTrue(foreign.readOnly());
        assertEquals(Optional.of(foreign), service.get(other, VolumeName.of("b")));
        assertTrue(all.stream().filter(v -> v.owner().equals(node)).allMatch(Volume::owned));
    }

    @Test
    void destroyRemovesContainerAndFilesystem() {
        service.create(VolumeName.of("v"), Path.of("/d"));
        service.destroy(VolumeName.of("v"));
        assertEquals(List.of(), service.list());
        assertEquals(Map.of(), docker.all());
    }

    @Test
    void destroyWithoutContainerStillDestroys() {
        pool.create(new VolumeId(node, VolumeName.of("bare")), Path.of("/d"), false);
        service.destroy(VolumeName.of("bare"));
        assertEquals(List.of(), pool.list());
    }

    @Test
    void onlyTheOwnerDestroys() {
        pool.create(new VolumeId(other, VolumeName.of("theirs")), Path.of("/d"), true);
        NotOwner e = assertThrows(NotOwner.class, () -> service.destroy(VolumeName.of("theirs")));
        assertTrue(e.getMessage().contains("'theirs'") && e.getMessage().contains(other.toString()), e.getMessage());
        assertEquals(1, pool.list().size());
        verifyNoInteractions(docker);
    }

    @Test
    void destroyOfNothingIsNotFound() {
        VolumeNotFound e = assertThrows(VolumeNotFound.class, () -> service.destroy(VolumeName.of("ghost")));
        assertTrue(e.getMessage().contains("'ghost'"), e.getMessage());
        verifyNoInteractions(docker);
    }

    @Test
    void busyFilesystemGetsItsContainerBack() {
        service.create(VolumeName.of("busy"), Path.of("/d"));
        VolumeBusy busy = new VolumeBusy("cannot destroy volume 'busy': it is in use", null);
        doThrow(busy).when(pool).destroy(any());
        assertSame(busy, assertThrows(VolumeBusy.class, () -> service.destroy(VolumeName.of("busy"))));
        assertEquals(1, pool.list().size());
        assertEquals(Map.of("flocker-busy-data", new FakeDataContainers.Container(mountpoint(node, "busy"), Path.of("/d"))),
            docker.all(), "the volume stays whole");
        doCallRealMethod().when(pool).destroy(any());
        service.destroy(VolumeName.of("busy"));
    }

    @Test
    void ownedIsTheCheckBeforeAChange() {
        service.create(VolumeName.of("mine"), Path.of("/d"));
        pool.create(new VolumeId(other, VolumeName.of("theirs")), Path.of("/d"), true);
        assertEquals(node, service.owned(VolumeName.of("mine")).owner());
        assertThrows(NotOwner.class, () -> service.owned(VolumeName.of("theirs")));
        assertThrows(VolumeNotFound.class, () -> service.owned(VolumeName.of("nobody")));
    }

    @Test
    void receiveOnlyWhatIsNotOwned() {
        service.checkReceivable(other, VolumeName.of("x"));
        NotOwner e = assertThrows(NotOwner.class, () -> service.checkReceivable(node, VolumeName.of("x")));
        assertTrue(e.getMessage().contains("'x'"), e.getMessage());
    }

    @Test
    void snapshotsOldestFirstAndNoneForAnUnknownVolume() {
        VolumeId theirs = new VolumeId(other, VolumeName.of("r"));
        pool.create(theirs, Path.of("/d"), true);
        pool.snapshot(theirs, "2");
        pool.snapshot(theirs, "1");
        assertEquals(List.of("2", "1"), service.snapshots(other, VolumeName.of("r")));
        assertEquals(List.of(), service.snapshots(other, VolumeName.of("unknown")));
        assertEquals(List.of(), service.snapshots(node, VolumeName.of("r")), "another owner's volume of that name is another volume");
    }

    @Test
    void aVolumeAnotherOperationHoldsIsLeftAloneAndTheErrorNamesTheHolder() throws Exception {
        VolumeName web = VolumeName.of("web");
        service.create(web, Path.of("/var/www"));
        VolumeService impatient = new VolumeService(node, pool, docker,
            new VolumeLocks(VolumeLocks.defaults().directory(), java.time.Duration.ofMillis(200)));
        java.util.concurrent.CountDownLatch held = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
        Thread holder = new Thread(() -> {
            try (VolumeLocks.Held h = service.lock(web, "hand off to node-b")) {
                held.countDown();
                done.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        holder.start();
        try {
            assertTrue(held.await(5, java.util.concurrent.TimeUnit.SECONDS));
            VolumeBusy e = assertThrows(VolumeBusy.class, () -> impatient.destroy(web));
            assertTrue(e.getMessage().contains("destroy") && e.getMessage().contains("hand off to node-b"), e.getMessage());
            assertThrows(VolumeBusy.class, () -> impatient.stopWrites(web));
            assertThrows(VolumeBusy.class, () -> impatient.release(web, other));
            assertTrue(service.get(web).isPresent(), "nothing changed");
            assertTrue(docker.all().containsKey("flocker-web-data"));
            assertTrue(pool.isMounted(new VolumeId(node, web)));
        } finally {
            done.countDown();
            holder.join();
        }
        impatient.destroy(web);
        assertTrue(service.get(web).isEmpty(), "free again: destroy goes");
    }
}
