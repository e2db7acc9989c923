package io.flocker.volume.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flocker.testbed.TestBed;
import io.flocker.volume.VolumeName;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Data containers on the test guest's real dockerd. */
class DockerDataContainersIT {
    private final VolumeName name = VolumeName.of("it-" + UUID.randomUUID().toString().substring(0, 8));
    private final String container = DataContainers.containerName(name);

    @BeforeAll
    static void docker() {
        TestBed.requireDocker();
    }

    @AfterEach
    void cleanUp() {
        TestBed.run("docker", "rm", "-f", container);
    }

    private static String inspect(String container, String format) {
        return TestBed.run("docker", "inspect", "--format", format, container).requireSuccess().stdout().strip();
    }

    @Test
    void createdContainerBindsTheMountpointAndIsNeverStarted() throws Exception {
        Path source = Files.createTempDirectory("flocker-dc-");
        try (DockerDataContainers c = new DockerDataContainers("busybox")) {
            assertFalse(c.exists(name));
            c.create(name, source, Path.of("/var/lib/data"));
            assertTrue(c.exists(name));
        } finally {
            Files.delete(source);
        }
        assertEquals("created", inspect(container, "{{.State.Status}}"));
        assertEquals("null", inspect(container, "{{json .HostConfig.Binds}}"), "no Bind: Docker makes a missing one");
        assertEquals("bind " + source + " /var/lib/data", inspect(container,
            "{{range .HostConfig.Mounts}}{{.Type}} {{.Source}} {{.Target}}{{end}}"));
        assertEquals(name.value(), inspect(container, "{{index .Config.Labels \"io.flocker.volume\"}}"));
        assertEquals("busybox", inspect(container, "{{.Config.Image}}"));
    }

    /**
     * A bind Mount whose source is missing is refused at create, and nothing
     * is made in its place. (A data container whose source went after its
     * create is a different matter: dockerd 20.10 makes the source again for
     * --volumes-from, so the volume layer leaves a file in the place of an
     * unmounted volume; VolumeServiceIT checks that.)
     */
    @Test
    void aMissingSourceIsRefusedAndNothingIsMadeOnTheRootFileSystem() {
        Path missing = Path.of("/tmp/flocker-missing-" + name);
        try (DockerDataContainers c = new DockerDataContainers("busybox")) {
            DockerException e = assertThrows(DockerException.class, () -> c.create(name, missing, Path.of("/data")));
            assertTrue(e.getMessage().contains("bind source path does not exist"), e.getMessage());
            assertFalse(c.exists(name));
        }
        assertFalse(Files.exists(missing), "Docker made nothing in the volume's place");
    }

    @Test
    void removeRemovesAndSaysWhetherThereWasOne() {
        try (DockerDataContainers c = new DockerDataContainers("busybox")) {
            c.create(name, Path.of("/tmp"), Path.of("/d"));
            assertTrue(c.remove(name));
            assertFalse(c.remove(name));
            assertFalse(c.exists(name));
        }
        assertEquals(1, TestBed.run("docker", "inspect", container).exitCode());
    }

    @Test
    void missingImageIsNamedAndNothingIsMade() {
        try (DockerDataContainers c = new DockerDataContainers("no-such-image-here")) {
            ImageNotFound e = assertThrows(ImageNotFound.class, () -> c.create(name, Path.of("/tmp"), Path.of("/d")));
            assertTrue(e.getMessage().startsWith("image 'no-such-image-here' is not on the Docker daemon"), e.getMessage());
            assertFalse(c.exists(name));
        }
    }

    @Test
    void takenNameIsNamedAndTheOtherContainerKept() {
        TestBed.run("docker", "create", "--name", container, "busybox", "true").requireSuccess();
        String id = inspect(container, "{{.Id}}");
        try (DockerDataContainers c = new DockerDataContainers("busybox")) {
            ContainerExists e = assertThrows(ContainerExists.class, () -> c.create(name, Path.of("/tmp"), Path.of("/d")));
            assertTrue(e.getMessage().contains("'" + container + "'"), e.getMessage());
        }
        assertEquals(id, inspect(container, "{{.Id}}"));
    }

    @Test
    void unreachableDaemonIsOneClearError() {
        try (DockerDataContainers c = new DockerDataContainers("busybox", URI.create("unix:///run/no-docker-here.sock"))) {
            DockerUnavailable e = assertThrows(DockerUnavailable.class, () -> c.create(name, Path.of("/tmp"), Path.of("/d")));
            assertTrue(e.getMessage().startsWith("cannot reach the Docker daemon at unix:///run/no-docker-here.sock: "),
                e.getMessage());
            assertFalse(e.getMessage().contains("\n"));
        }
    }
}
