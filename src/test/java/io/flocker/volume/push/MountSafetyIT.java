package io.flocker.volume.push;

import static org.junit.jupiter.api.Assertions.*;

import io.flocker.testbed.TestBed;
import io.flocker.testbed.TestPool;
import io.flocker.testbed.TestPools;
import io.flocker.testbed.WithTestPools;
import io.flocker.volume.NodeIdentity;
import io.flocker.volume.Volume;
import io.flocker.volume.VolumeName;
import io.flocker.volume.VolumeService;
import io.flocker.volume.VolumeId;
import io.flocker.volume.VolumeProperties;
import io.flocker.volume.docker.FakeDataContainers;
import io.flocker.volume.zfs.ZfsStoragePool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What a volume's contents can do on the host: a setuid binary or a device
 * node planted by a container, or sent by another node, gives nothing, and
 * the volumes sit under a mount root only root enters. Two nodes in this JVM
 * (two pools, the second receiving the first's pushes); the checks run real
 * binaries as root and as nobody.
 */
@WithTestPools(count = 2, size = "256M")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MountSafetyIT {
    private final TestPool poolA, poolB;
    private Path rootA;
    private VolumeService a, b;

    MountSafetyIT(TestPools pools) {
        this.poolA = pools.get(0);
        this.poolB = pools.get(1);
    }

    @BeforeAll
    void nodes() throws Exception {
        Path dir = Files.createTempDirectory("mount-safety");
        // A mount root that does not exist yet, as /flocker on a new machine.
        rootA = poolA.mountpoint().resolve("new-root");
        a = new VolumeService(NodeIdentity.load(dir.resolve("a.json")).uuid(), ZfsStoragePool.open(poolA.name(), rootA),
            new FakeDataContainers());
        b = new VolumeService(NodeIdentity.load(dir.resolve("b.json")).uuid(),
            ZfsStoragePool.open(poolB.name(), poolB.mountpoint()), new FakeDataContainers());
    }

    /** The options /proc/self/mounts shows for the mount at {@code dir}. */
    private static Set<String> options(Path dir) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/mounts"))) {
            String[] f = line.split(" ");
            if (f[1].equals(dir.toString())) return Set.copyOf(Arrays.asList(f[3].split(",")));
        }
        throw new AssertionError("nothing mounted at " + dir);
    }

    private static TestBed.Result asNobody(String... command) {
        List<String> cmd = new java.util.ArrayList<>(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"));
        cmd.addAll(List.of(command));
        return TestBed.run(cmd);
    }

    /** A setuid-root copy of id(1) and a world-writable /dev/null twin, as a hostile container would leave them. */
    private static void plant(Path dir) throws Exception {
        Path id = dir.resolve("id");
        Files.copy(Path.of("/usr/bin/id"), id);
        TestBed.run("chmod", "4755", id.toString()).requireSuccess(); // setuid: beyond PosixFilePermissions
        TestBed.Result mknod = TestBed.run("mknod", "-m", "666", dir.resolve("null").toString(), "c", "1", "3");
        assertEquals(0, mknod.exitCode(), mknod.stderr());
    }

    @Test
    void ownVolumesAreNosuidNodevUnderAnOwnerOnlyRootAndCopiesAreNoexecToo() throws Exception {
        VolumeName n = VolumeName.of("planted");
        Volume v = a.create(n, VolumeProperties.NONE); // as the plugin makes them: no data container
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(rootA)),
            "the mount root it made");
        Set<String> own = options(v.mountpoint());
        assertTrue(own.containsAll(Set.of("rw", "nosuid", "nodev")) && !own.contains("noexec"), own.toString());
        plant(v.mountpoint());
        Files.writeString(v.mountpoint().resolve("state"), "v1");

        // Only root gets under the mount root ...
        TestBed.Result denied = asNobody("cat", v.mountpoint().resolve("state").toString());
        assertNotEquals(0, denied.exitCode());
        assertTrue(denied.stderr().contains("Permission denied"), denied.stderr());
        // ... and where an administrator opened it up, the planted files give nothing.
        Files.setPosixFilePermissions(rootA, PosixFilePermissions.fromString("rwxr-xr-x"));
        TestBed.Result id = asNobody(v.mountpoint().resolve("id").toString(), "-u");
        assertEquals(0, id.exitCode(), id.stderr());
        assertEquals("65534", id.stdout().strip(), "setuid is not honoured");
        TestBed.Result dev = TestBed.run("sh", "-c", "echo x > " + v.mountpoint().resolve("null"));
        assertNotEquals(0, dev.exitCode(), "a device node does not open, even for root");
        assertTrue(dev.stderr().contains("Permission denied"), dev.stderr());

        // A container binding it (as docker run -v does with the plugin's path) gets the same flags.
        TestBed.requireDocker();
        TestBed.Result inContainer = TestBed.run("docker", "run", "--rm", "-v", v.mountpoint() + ":/v", "busybox",
            "sh", "-c", "grep ' /v ' /proc/mounts; echo x > /v/null");
        Set<String> seen = Set.of(inContainer.stdout().split("\\n")[0].split(" ")[3].split(","));
        assertTrue(seen.containsAll(Set.of("rw", "nosuid", "nodev")), inContainer.stdout());
        assertNotEquals(0, inContainer.exitCode(), "the device node does not open in the container either");

        // .zfs/snapshot is reached through the mount (the kernel was told the mount directory).
        a.pool().snapshot(new VolumeId(a.node(), n), "before");
        assertEquals("v1", Files.readString(v.mountpoint().resolve(".zfs/snapshot/before/state")));

        // Another node's copy: read-only and noexec as well.
        new Pusher(a).push(n, new MemoryRemote(b), PushOptions.defaults());
        Volume copy = b.get(a.node(), n).orElseThrow();
        Set<String> theirs = options(copy.mountpoint());
        assertTrue(theirs.containsAll(Set.of("ro", "nosuid", "nodev", "noexec")), theirs.toString());
        TestBed.Result run = TestBed.run("sh", "-c", copy.mountpoint().resolve("id") + " -u"); // sh reports the exec
        assertNotEquals(0, run.exitCode(), "nothing in a copy runs");
        assertTrue(run.stderr().contains("Permission denied"), run.stderr());
    }
}
