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
        try {
            VolumeBusy e = assertThrows(VolumeBusy.class, () -> service.destroy(name));
            assertTrue(e.getMessage().contains("in use"), e.getMessage());
            assertTrue(tp.has(v.dataset()));
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
