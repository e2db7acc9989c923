package io.flocker.volume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flocker.volume.docker.FakeDataContainers;
import io.flocker.volume.memory.MemoryStoragePool;
import io.flocker.volume.usage.MountTable;
import io.flocker.volume.usage.NamespaceMount;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Who uses a volume, and what stopping writes and destroying do about them: fakes for Docker and /proc. */
class VolumeUsageTest {
    private static final long OWN_NS = 1;
    private final UUID node = UUID.randomUUID();
    private final MemoryStoragePool pool = new MemoryStoragePool("flocker", Path.of("/flocker"));
    private final FakeDataContainers docker = new FakeDataContainers();
    private final List<NamespaceMount> mounts = new CopyOnWriteArrayList<>();
    private final MountTable table = new MountTable() {
        @Override
        public long ownNamespace() {
            return OWN_NS;
        }

        @Override
        public List<NamespaceMount> mountsOf(String source) {
            return source.equals(dataset()) ? List.copyOf(mounts) : List.of();
        }
    };
    private final VolumeService service = new VolumeService(node, pool, docker, docker, table);

    {
        service.passing = java.time.Duration.ofMillis(100);
    }
    private final VolumeName web = VolumeName.of("web");
    private final Path mountpoint = Path.of("/flocker", node + ".web");

    private String dataset() {
        return "flocker/" + node + ".web";
    }

    private VolumeId id() {
        return new VolumeId(node, web);
    }

    private static NamespaceMount mount(long ns, String at, int shared, int master, long... pids) {
        List<NamespaceMount.Process> procs = new ArrayList<>();
        for (long p : pids) procs.add(new NamespaceMount.Process(p, p == 812 ? "sleep" : "sh"));
        return new NamespaceMount(ns, Path.of(at), "/", shared, master, procs);
    }

    /** What a container being started holds for a moment (300 ms here): a private copy of the volume's mount. */
    private void passingCopy() {
        NamespaceMount starting = mount(6, mountpoint.toString(), 0, 0, 977);
        mounts.add(starting);
        new Thread(() -> {
            sleep(300);
            mounts.remove(starting);
        }).start();
    }

    private void ownMount() {
        mounts.add(mount(OWN_NS, mountpoint.toString(), 7, 0, 1, 42));
    }

    @Test
    void anIdleVolumeHasNoUsersItsOwnMountItsDataContainerAndCopiesThatFollowItAreNone() {
        service.create(web, Path.of("/data"));
        ownMount();
        mounts.add(mount(3, mountpoint.toString(), 0, 7, 900)); // a service's private copy: a slave of ours
        assertTrue(service.usage(web).isEmpty(), service.usage(web).describe());
        assertTrue(service.stopWrites(web));
        assertTrue(pool.get(id()).orElseThrow().readOnly(), "writes stopped: read-only");
        assertTrue(pool.isMounted(id()), "and still mounted");
    }

    @Test
    void aRunningContainerIsRefusedByNameAndNothingChanges() {
        service.create(web, Path.of("/data"));
        ownMount();
        docker.run("writer", mountpoint, 4242);
        mounts.add(mount(5, "/data", 0, 0, 4242)); // the container's own namespace: named once, as the container
        VolumeBusy e = assertThrows(VolumeBusy.class, () -> service.stopWrites(web));
        assertEquals("cannot stop writes to volume 'web': it is in use by running container writer (id-writer); stop "
            + "them first, or let the handoff stop the containers (--stop-containers)", e.getMessage());
        assertTrue(pool.isMounted(id()));
        assertEquals(List.of(), docker.stopped());
    }

    @Test
    void pluginUsersAndMountsInOtherNamespacesAreRefusedByName() {
        service.create(web, Path.of("/data"));
        ownMount();
        pool.addUser(id(), "0123456789abcdef0123");
        mounts.add(mount(2, "/mnt/x", 0, 0, 812, 813));
        mounts.add(new NamespaceMount(OWN_NS, Path.of("/srv/also"), "/sub", 9, 0, List.of())); // a bind here elsewhere
        VolumeBusy e = assertThrows(VolumeBusy.class, () -> service.stopWrites(web, true, m -> {}));
        assertEquals("cannot stop writes to volume 'web': it is in use by Docker plugin mount ID 0123456789ab; mount "
            + "namespace 2 at /mnt/x (pid 812 sleep, pid 813 sh); mount namespace 1 at /srv/also (/sub of it); stop them "
            + "first", e.getMessage());
        assertTrue(pool.isMounted(id()));
    }

    @Test
    void stopContainersStopsThemSaysSoAndProceedsOnceDockerLetGo() {
        service.create(web, Path.of("/data"));
        ownMount();
        docker.run("writer", mountpoint, 4242);
        NamespaceMount theirs = mount(5, "/data", 0, 0, 4242);
        mounts.add(theirs);
        pool.addUser(id(), "mount-of-writer");
        // What Docker does when a container stops: its namespace goes, and it tells the plugin (Unmount).
        docker.onStop = c -> new Thread(() -> {
            sleep(300);
            mounts.remove(theirs);
            pool.removeUser(id(), "mount-of-writer");
        }).start();
        List<String> told = new ArrayList<>();
        assertTrue(service.stopWrites(web, true, told::add));
        assertEquals(List.of("writer"), docker.stopped());
        assertEquals(List.of("stopped container writer (id-writer), which used volume 'web'"), told);
        assertTrue(pool.get(id()).orElseThrow().readOnly(), "writes stopped: read-only");
        assertTrue(pool.isMounted(id()), "and still mounted");
    }

    @Test
    void stopContainersStopsNothingWhenOtherUsersWouldRefuseAnyway() {
        service.create(web, Path.of("/data"));
        ownMount();
        docker.run("writer", mountpoint, 4242);
        mounts.add(mount(2, "/mnt/x", 0, 0, 812));
        VolumeBusy e = assertThrows(VolumeBusy.class, () -> service.stopWrites(web, true, m -> {}));
        assertTrue(e.getMessage().contains("running container writer (id-writer); mount namespace 2 at /mnt/x (pid 812 sleep)"),
            e.getMessage());
        assertEquals(List.of(), docker.stopped());
        assertTrue(pool.isMounted(id()));
    }

    @Test
    void aUserThatOutlivesItsStoppedContainerIsStillRefusedAndTheMessageSaysWhatWasStopped() {
        service.create(web, Path.of("/data"));
        ownMount();
        docker.run("writer", mountpoint, 4242);
        pool.addUser(id(), "stale-mount");
        service.settle = java.time.Duration.ofMillis(300);
        VolumeBusy e = assertThrows(VolumeBusy.class, () -> service.stopWrites(web, true, m -> {}));
        assertEquals("stopped writer (id-writer) (they stay stopped), but cannot stop writes to volume 'web': it is in "
            + "use by Docker plugin mount ID stale-mount; stop them first", e.getMessage());
        assertTrue(pool.isMounted(id()));
    }

    @Test
    void aCopyThatGoesWithinTheGraceIsNoUserButOneThatStaysIsAndTheWaitIsBounded() {
        service.passing = java.time.Duration.ofMillis(2_000);
        service.create(web, Path.of("/data"));
        ownMount();
        passingCopy();
        assertTrue(service.stopWrites(web));
        assertTrue(pool.get(id()).orElseThrow().readOnly());

        service.passing = java.time.Duration.ofMillis(400);
        mounts.add(mount(2, "/mnt/x", 0, 0, 812));
        long t0 = System.nanoTime();
        assertThrows(VolumeBusy.class, () -> service.destroy(web));
        long waited = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(waited >= 400 && waited < 1_900, "waited out the grace, then refused: " + waited + " ms");
        assertTrue(pool.isMounted(id()));
    }

    @Test
    void withStopContainersACopyOfAnotherStartingContainerIsWaitedOutToo() {
        service.passing = java.time.Duration.ofMillis(2_000);
        service.create(web, Path.of("/data"));
        ownMount();
        docker.run("writer", mountpoint, 4242);
        NamespaceMount theirs = mount(5, "/data", 0, 0, 4242);
        mounts.add(theirs);
        passingCopy();
        docker.onStop = c -> mounts.remove(theirs);
        assertTrue(service.stopWrites(web, true, m -> {}));
        assertEquals(List.of("writer"), docker.stopped());
    }

    @Test
    void aContainerIsRefusedAtOnceNotAfterTheGraceForCopies() {
        service.passing = java.time.Duration.ofSeconds(30);
        service.create(web, Path.of("/data"));
        ownMount();
        docker.run("writer", mountpoint, 4242);
        mounts.add(mount(2, "/mnt/x", 0, 0, 812));
        long t0 = System.nanoTime();
        assertThrows(VolumeBusy.class, () -> service.stopWrites(web));
        assertTrue(System.nanoTime() - t0 < 10_000_000_000L, "no wait for a user that does not go by itself");
    }

    @Test
    void destroyOfAVolumeInUseIsRefusedByNameAndLeavesItWhole() {
        service.create(web, Path.of("/data"));
        pool.snapshot(id(), "before");
        ownMount();
        mounts.add(mount(2, "/mnt/x", 0, 0, 812));
        VolumeBusy e = assertThrows(VolumeBusy.class, () -> service.destroy(web));
        assertEquals("cannot destroy volume 'web': it is in use by mount namespace 2 at /mnt/x (pid 812 sleep); stop "
            + "them first", e.getMessage());
        assertEquals(List.of("before"), pool.snapshots(id()));
        assertTrue(docker.exists(web), "the data container stays");
        assertTrue(pool.isMounted(id()));
        mounts.removeIf(m -> m.namespace() == 2);
        service.destroy(web);
        assertEquals(Set.of(), Set.copyOf(service.list()));
    }

    @Test
    void mountAllMountsWhatIsNotMounted() {
        service.create(web, Path.of("/data"));
        service.create(VolumeName.of("db"), Path.of("/db"));
        pool.unmount(id());
        assertEquals(List.of(id()), service.mountAll());
        assertTrue(pool.isMounted(id()));
        assertEquals(List.of(), service.mountAll());
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
