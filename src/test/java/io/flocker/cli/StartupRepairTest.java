package io.flocker.cli;

import static org.junit.jupiter.api.Assertions.*;

import io.flocker.volume.VolumeDriver;
import io.flocker.volume.VolumeName;
import io.flocker.volume.VolumeProperties;
import io.flocker.volume.VolumeService;
import io.flocker.volume.docker.DataContainers;
import io.flocker.volume.docker.DockerUnavailable;
import io.flocker.volume.docker.FakeDataContainers;
import io.flocker.volume.docker.RunningContainers;
import io.flocker.volume.memory.MemoryStoragePool;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The agent's start-up repair on the in-memory pool, with a Docker that answers late or never. */
class StartupRepairTest {
    private final UUID node = UUID.randomUUID();
    private final MemoryStoragePool pool = new MemoryStoragePool("flocker", Path.of("/flocker"));
    private final FakeDataContainers fake = new FakeDataContainers();
    /** Calls refused as by a daemon not started yet. */
    private final AtomicInteger refusals = new AtomicInteger();
    private final Late docker = new Late();
    private final VolumeService service = new VolumeService(node, pool, docker);
    private final VolumeDriver driver = new VolumeDriver(service);

    /** Docker as the fake has it, but unreachable while {@link #refusals} lasts. */
    private final class Late implements DataContainers, RunningContainers {
        private void reach() {
            if (refusals.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw new DockerUnavailable("unix:///var/run/docker.sock", new java.net.ConnectException("refused"));
            }
        }

        @Override
        public void create(VolumeName name, Path hostPath, Path mountPath) {
            reach();
            fake.create(name, hostPath, mountPath);
        }

        @Override
        public boolean remove(VolumeName name) {
            reach();
            return fake.remove(name);
        }

        @Override
        public boolean exists(VolumeName name) {
            reach();
            return fake.exists(name);
        }

        @Override
        public List<Container> using(Path hostPath) {
            reach();
            return fake.using(hostPath);
        }

        @Override
        public void stop(Container container, Duration grace) {
            reach();
            fake.stop(container, grace);
        }

        @Override
        public boolean anyHasVolume(VolumeName volume) {
            reach();
            return fake.anyHasVolume(volume);
        }
    }

    @Test
    void volumesThatNeedDockerAreTriedAgainUntilItAnswers() {
        driver.create(VolumeName.of("pg"), VolumeProperties.NONE);
        driver.mount(VolumeName.of("pg"), "stale-mount-id");
        driver.create(VolumeName.of("web"), VolumeProperties.NONE);
        service.create(VolumeName.of("db"), Path.of("/var/db"));
        fake.remove(VolumeName.of("db")); // a data container that a kill left unmade
        refusals.set(3);
        new StartupRepair(service, Duration.ofSeconds(30), Duration.ofMillis(10)).run();
        assertEquals(0, refusals.get(), "Docker was asked again until it answered");
        assertEquals(Set.of(), driver.get(VolumeName.of("pg")).users(), "no container has pg: its user is forgotten");
        assertTrue(fake.exists(VolumeName.of("db")), "the data container was made once Docker answered");
    }

    @Test
    void repairOfEveryVolumeGoesOnWhenDockerCannotSayWhoUsesOne() {
        driver.create(VolumeName.of("pg"), VolumeProperties.NONE);
        driver.mount(VolumeName.of("pg"), "m");
        driver.create(VolumeName.of("web"), VolumeProperties.NONE);
        driver.mount(VolumeName.of("web"), "n");
        pool.setReadOnly(new io.flocker.volume.VolumeId(node, VolumeName.of("web")), true); // what a killed handoff left
        refusals.set(Integer.MAX_VALUE);
        List<String> done = service.repair();
        refusals.set(0);
        assertTrue(done.stream().anyMatch(l -> l.startsWith("volume 'web'")), "the volume after pg was repaired: " + done);
        assertFalse(service.get(VolumeName.of("web")).orElseThrow().readOnly());
        assertEquals(Set.of("m"), driver.get(VolumeName.of("pg")).users(), "kept: Docker could not say");
        assertEquals(Set.of("n"), driver.get(VolumeName.of("web")).users());
    }

    @Test
    void aDockerThatNeverAnswersIsGivenUpOnAndChangesNothingElse() {
        driver.create(VolumeName.of("pg"), VolumeProperties.NONE);
        driver.mount(VolumeName.of("pg"), "m");
        refusals.set(Integer.MAX_VALUE);
        long start = System.nanoTime();
        new StartupRepair(service, Duration.ofMillis(200), Duration.ofMillis(20)).run();
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertTrue(ms >= 200 && ms < 10_000, ms + " ms");
        refusals.set(0);
        assertEquals(Set.of("m"), driver.get(VolumeName.of("pg")).users(), "kept: nobody could say it was stale");
    }
}
