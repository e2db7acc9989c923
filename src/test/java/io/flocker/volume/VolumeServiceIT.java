package io.flocker.volume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flocker.lzc.ZfsMounts;
import io.flocker.testbed.TestBed;
import io.flocker.testbed.TestPool;
import io.flocker.testbed.WithTestPools;
import io.flocker.volume.docker.ContainerExists;
import io.flocker.volume.docker.DataContainers;
import io.flocker.volume.docker.DockerDataContainers;
import io.flocker.volume.docker.DockerUnavailable;
import io.flocker.volume.docker.ImageNotFound;
import io.flocker.volume.zfs.ZfsStoragePool;
import java.net.URI;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The volume manager on real ZFS and the real dockerd: what a container sees is what the dataset holds. */
@WithTestPools
class VolumeServiceIT {
    private final TestPool tp;
    private final UUID node = UUID.randomUUID();
    private final ZfsStoragePool pool;
    private final DockerDataContainers docker = new DockerDataContainers("busybox");
    private final VolumeService service;
    private final List<String> names = new ArrayList<>();

    VolumeServiceIT(TestPool tp) {
        this.tp = tp;
        this.pool = ZfsStoragePool.open(tp.name(), tp.mountpoint().resolveSibling(tp.name() + ".volumes"));
        this.service = new VolumeService(node, pool, docker);
    }

    @BeforeAll
    static void dockerReady() {
        TestBed.requireDocker();
    }

    @AfterEach
    void cleanUp() {
        for (String n : names) TestBed.run("docker", "rm", "-f", "flocker-" + n + "-data");
        docker.close();
    }

    /** A volume name no other test (or earlier run) uses: container names are global. */
    private VolumeName fresh(String base) {
        String n = base + "-" + UUID.randomUUID().toString().substring(0, 6);
        names.add(n);
        return VolumeName.of(n);
    }

    @Test
    void dataWrittenThroughVolumesFromLandsInTheDataset() throws Exception {
        VolumeName name = fresh("web");
        Volume v = service.create(name, Path.of("/data"));
        assertEquals(v.mountpoint(), ZfsMounts.mountpointOf(v.dataset()), "the dataset is what is mounted there");
        TestBed.run("docker", "run", "--rm", "--volumes-from", DataContainers.containerName(name), "busybox",
            "sh", "-c", "echo hello from a container > /data/greeting").requireSuccess();
        assertEquals("hello from a container\n", Files.readString(v.mountpoint().resolve("greeting")));
        // and it is in the dataset itself: a snapshot of the dataset has it
        tp.zfs("snapshot", v.dataset() + "@check");
        assertEquals("hello from a container\n", Files.readString(v.mountpoint().resolve(".zfs/snapshot/check/greeting")));
        assertEquals(List.of("check"), service.snapshots(node, name));
    }

    @Test
    void missingImageLeavesNeitherDatasetNorContainer() {
        VolumeName name = fresh("noimg");
        VolumeService withBadImage = new VolumeService(node, pool, new DockerDataContainers("no-such-image-here"));
        ImageNotFound e = assertThrows(ImageNotFound.class, () -> withBadImage.create(name, Path.of("/data")));
        assertTrue(e.getSuppressed().length == 0, "the undo worked");
        assertFalse(tp.has(tp.ds(node + "." + name)));
        assertEquals(1, TestBed.run("docker", "inspect", DataContainers.containerName(name)).exitCode());
        assertFalse(Files.exists(pool.mountRoot().resolve(node + "." + name)));
    }

    @Test
    void unreachableDaemonLeavesNoDataset() {
        VolumeName name = fresh("nodaemon");
        VolumeService offline = new VolumeService(node, pool,
            new DockerDataContainers("busybox", URI.create("unix:///run/no-docker-here.sock")));
        assertThrows(DockerUnavailable.class, () -> offline.create(name, Path.of("/data")));
        assertFalse(tp.has(tp.ds(node + "." + name)));
    }

    @Test
    void takenContainerNameLeavesNoDataset() {
        VolumeName name = fresh("taken");
        TestBed.run("docker", "create", "--name", DataContainers.containerName(name), "busybox", "true").requireSuccess();
        assertThrows(ContainerExists.class, () -> service.create(name, Path.of("/data")));
        assertFalse(tp.has(tp.ds(node + "." + name)));
    }

    @Test
    void volumeInUseByARunningContainerStaysWhole() {
        VolumeName name = fresh("inuse");
        Volume v = service.create(name, Path.of("/data"));
        String runner = "runner-" + name;
        TestBed.run("docker", "run", "-d", "--name", runner, "--volumes-from", DataContainers.containerName(name),
            "busybox", "sleep", "600").requireSuccess();
        pool.snapshot(v.id(), "before");
        try {
            VolumeBusy e = assertThrows(VolumeBusy.class, () -> service.destroy(name));
            assertTrue(e.getMessage().startsWith("cannot destroy volume '" + name + "': it is in use by running container "
                + runner + " ("), e.getMessage());
            assertTrue(tp.has(v.dataset()));
            assertEquals(List.of("before"), pool.snapshots(v.id()), "the snapshots stay");
            assertEquals(v.mountpoint(), ZfsMounts.mountpointOf(v.dataset()), "mounted again");
            assertEquals(0, TestBed.run("docker", "inspect", DataContainers.containerName(name)).exitCode(),
                "the data container is back");
        } finally {
            TestBed.run("docker", "rm", "-f", runner);
        }
        service.destroy(name);
        assertFalse(tp.has(v.dataset()));
        assertEquals(1, TestBed.run("docker", "inspect", DataContainers.containerName(name)).exitCode());
    }

    /**
     * Stopping writes (for a handoff) keeps the volume mounted, read-only: a
     * write fails with EROFS. While a volume is unmounted (a command stopped
     * half-way, until repair mounts it) its place holds an empty file: a
     * write there fails, and so does a container started with --volumes-from
     * (dockerd would make a missing source as a directory on / and write there).
     */
    @Test
    void anUnmountedVolumesPlaceTakesNoWrite() throws Exception {
        VolumeName name = fresh("gap");
        Volume v = service.create(name, Path.of("/data"));
        assertTrue(service.stopWrites(name));
        assertEquals(v.mountpoint(), ZfsMounts.mountpointOf(v.dataset()), "writes stopped: still mounted");
        assertThrows(java.io.IOException.class, () -> Files.writeString(v.mountpoint().resolve("f"), "refused"));
        assertTrue(service.resumeWrites(name));
        assertTrue(service.pool().unmount(v.id()));
        assertTrue(Files.isRegularFile(v.mountpoint()) && Files.size(v.mountpoint()) == 0, "a placeholder, no directory");
        assertThrows(java.io.IOException.class, () -> Files.writeString(v.mountpoint().resolve("f"), "lost?"));
        TestBed.Result r = TestBed.run("docker", "run", "--rm", "--volumes-from", DataContainers.containerName(name),
            "busybox", "sh", "-c", "echo lost > /data/f");
        assertTrue(r.exitCode() != 0, "the container must not start: " + r.stdout());
        assertTrue(Files.isRegularFile(v.mountpoint()) && Files.size(v.mountpoint()) == 0, "nothing was written on /");
        assertTrue(service.pool().mount(v.id()));
        assertEquals(v.mountpoint(), ZfsMounts.mountpointOf(v.dataset()));
        try (var files = Files.list(v.mountpoint())) {
            assertEquals(List.of(), files.toList());
        }
        service.destroy(name);
        assertFalse(Files.exists(v.mountpoint(), java.nio.file.LinkOption.NOFOLLOW_LINKS), "nothing is left in its place");
    }

    /**
     * A container writing in a loop: stopping writes is refused naming it,
     * with nothing changed; with stopContainers it is stopped and writes
     * stop; every line it wrote successfully (it prints each after its
     * write returned) is in the snapshot taken then.
     */
    @Test
    void aWritingContainerIsRefusedByNameThenStoppedOnRequestAndTheFinalSnapshotHasEveryLineItWrote() throws Exception {
        VolumeName name = fresh("loop");
        Volume v = service.create(name, Path.of("/data"));
        String writer = "writer-" + name;
        TestBed.run("docker", "run", "-d", "--name", writer, "--volumes-from", DataContainers.containerName(name), "busybox",
            "sh", "-c", "trap 'exit 0' TERM; i=0; while :; do echo $i >> /data/log && echo $i; i=$((i+1)); done")
            .requireSuccess();
        try {
            Path log = v.mountpoint().resolve("log");
            for (int i = 0; i < 300 && (!Files.exists(log) || Files.size(log) < 100); i++) Thread.sleep(100);
            VolumeBusy e = assertThrows(VolumeBusy.class, () -> service.stopWrites(name));
            assertTrue(e.getMessage().startsWith("cannot stop writes to volume '" + name + "': it is in use by running "
                + "container " + writer + " ("), e.getMessage());
            assertTrue(e.getMessage().endsWith("(--stop-containers)"), e.getMessage());
            assertEquals("true", TestBed.run("docker", "inspect", "-f", "{{.State.Running}}", writer).requireSuccess()
                .stdout().strip(), "nothing changed");
            assertEquals(v.mountpoint(), ZfsMounts.mountpointOf(v.dataset()));

            List<String> told = new ArrayList<>();
            assertTrue(service.stopWrites(name, true, told::add));
            assertEquals(1, told.size(), told.toString());
            assertTrue(told.get(0).startsWith("stopped container " + writer + " ("), told.toString());
            assertEquals("false", TestBed.run("docker", "inspect", "-f", "{{.State.Running}}", writer).requireSuccess()
                .stdout().strip());
            pool.snapshot(v.id(), "final");
            assertTrue(service.resumeWrites(name));
            List<String> lines = Files.readAllLines(v.mountpoint().resolve(".zfs/snapshot/final/log"));
            List<String> reported = TestBed.run("docker", "logs", writer).requireSuccess().stdout().lines().toList();
            assertFalse(reported.isEmpty());
            int last = Integer.parseInt(reported.get(reported.size() - 1));
            assertTrue(lines.size() >= last + 1, "written " + (last + 1) + ", in the snapshot " + lines.size());
            for (int i = 0; i < lines.size(); i++) assertEquals(Integer.toString(i), lines.get(i), "line " + i);
            System.out.printf("writer stopped after %d lines; the final snapshot has %d%n", last + 1, lines.size());
        } finally {
            TestBed.run("docker", "rm", "-f", writer);
        }
        service.destroy(name);
    }

    /**
     * A namespace that holds a private copy of the volume's mount for a
     * moment and then goes, as a container being started does until it
     * pivots into its own root (a handoff in CI was once refused by such a
     * {@code runc:[2:INIT]}): stop-writes waits it out and proceeds.
     */
    @Test
    void aMountCopyThatGoesByItselfIsWaitedOutNotRefused() throws Exception {
        VolumeName name = fresh("passing");
        Volume v = service.create(name, Path.of("/data"));
        // The holder's set-up (unmounting what it need not hold) takes seconds on a loaded guest: a bound it cannot miss.
        service.passing = java.time.Duration.ofSeconds(90);
        var table = io.flocker.volume.usage.ProcMountTable.system();
        long own = table.ownNamespace();
        Process p = new ProcessBuilder("unshare", "-m", "--propagation", "private", "sh", "-c",
            TestBed.dropCopiedZfsMounts(v.mountpoint()) + " && exec sleep 2").redirectErrorStream(true).start();
        try {
            boolean seen = false;
            for (int i = 0; i < 100 && !seen; i++) {
                seen = table.mountsOf(v.dataset()).stream().anyMatch(m -> m.namespace() != own);
                if (!seen) Thread.sleep(20);
            }
            assertTrue(seen, "the copy is there when stop-writes begins");
            long t0 = System.nanoTime();
            assertTrue(service.stopWrites(name));
            long waited = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(pool.get(v.id()).orElseThrow().readOnly());
            assertTrue(waited >= 1_000, "it waited for the copy (which lives 2 s) to go: " + waited + " ms");
        } finally {
            p.destroyForcibly();
            p.waitFor();
        }
        service.destroy(name);
        assertFalse(tp.has(v.dataset()));
    }

    /**
     * The other users: a plugin user, and a bind mount held in a private
     * mount namespace of its own (which umount here never reaches). Both
     * are refused by name, stopContainers or not, and a destroy keeps the
     * volume whole: snapshots, data container, mount.
     */
    @Test
    void pluginUsersAndMountsInOtherNamespacesAreRefusedByNameAndABusyDestroyKeepsTheSnapshots() throws Exception {
        VolumeName name = fresh("held");
        Volume v = service.create(name, Path.of("/data"));
        pool.snapshot(v.id(), "before");
        pool.addUser(v.id(), "plugin-m1");
        VolumeBusy plugin = assertThrows(VolumeBusy.class, () -> service.stopWrites(name, true, m -> {}));
        assertTrue(plugin.getMessage().contains("in use by Docker plugin mount ID plugin-m1"), plugin.getMessage());
        assertEquals(v.mountpoint(), ZfsMounts.mountpointOf(v.dataset()));
        pool.removeUser(v.id(), "plugin-m1");

        Path hold = Files.createTempDirectory("flocker-hold-");
        Process p = new ProcessBuilder("unshare", "-m", "--propagation", "private", "sh", "-c",
            TestBed.dropCopiedZfsMounts(v.mountpoint()) + " && mount --bind " + v.mountpoint() + " " + hold + " && exec sleep 300").redirectErrorStream(true).start();
        try {
            var table = io.flocker.volume.usage.ProcMountTable.system();
            // The holder's set-up took over 30 s once on a loaded guest; without the bind mount there is nothing to refuse.
            boolean held = false;
            for (int i = 0; i < 1200 && !held && p.isAlive(); i++) {
                held = table.mountsOf(v.dataset()).stream().anyMatch(m -> m.mountpoint().equals(hold));
                if (!held) Thread.sleep(100);
            }
            assertTrue(held, "the holder's bind mount at " + hold + " is there before stop-writes (holder alive: " + p.isAlive() + ")");
            String holder = "at " + hold + " (pid " + p.pid() + " sleep)";
            VolumeBusy e = assertThrows(VolumeBusy.class, () -> service.stopWrites(name, true, m -> {}));
            assertTrue(e.getMessage().contains("mount namespace ") && e.getMessage().contains(holder), e.getMessage());
            assertEquals(v.mountpoint(), ZfsMounts.mountpointOf(v.dataset()), "still mounted: nothing changed");

            VolumeBusy d = assertThrows(VolumeBusy.class, () -> service.destroy(name));
            assertTrue(d.getMessage().startsWith("cannot destroy volume '" + name + "': it is in use by mount namespace "),
                d.getMessage());
            // The pool on its own (as the plugin's remove reaches it) refuses as well, before any snapshot goes.
            VolumeBusy below = assertThrows(VolumeBusy.class, () -> pool.destroy(v.id()));
            assertTrue(below.getMessage().contains(holder) && below.getMessage().endsWith("(nothing was destroyed)"),
                below.getMessage());
            assertEquals(List.of("before"), pool.snapshots(v.id()), "the snapshots stay");
            assertEquals(v.mountpoint(), ZfsMounts.mountpointOf(v.dataset()));
            assertEquals(0, TestBed.run("docker", "inspect", DataContainers.containerName(name)).exitCode());
        } finally {
            p.destroyForcibly();
            p.waitFor();
            Files.deleteIfExists(hold);
        }
        service.destroy(name);
        assertFalse(tp.has(v.dataset()));
    }

    @Test
    void foreignDatasetMadeByHandIsListedReadOnlyAndCannotBeDestroyed() throws Exception {
        UUID other = UUID.randomUUID();
        String ds = tp.ds(other + ".theirs");
        tp.zfs("create", "-o", "readonly=on", "-o", "io.flocker:mount_path=/srv", ds);
        Volume v = service.list().stream().filter(x -> x.owner().equals(other)).findFirst().orElseThrow();
        assertFalse(v.owned());
        assertTrue(v.readOnly());
        assertEquals(Path.of("/srv"), v.mountPath());
        assertThrows(NotOwner.class, () -> service.destroy(VolumeName.of("theirs")));
        assertTrue(tp.has(ds));
        assertThrows(FileSystemException.class, () -> Files.writeString(v.mountpoint().resolve("f"), "x"));
    }
}
