package io.flocker.cli;

import io.flocker.volume.Filesystem;
import io.flocker.volume.VolumeException;
import io.flocker.volume.VolumeName;
import io.flocker.volume.VolumeService;
import io.flocker.volume.docker.DockerException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the agent does once it serves: {@code repair} of every volume, one
 * at a time under its lock, each action logged. The agent starts before
 * dockerd (as Docker asks of plugins), so a volume whose repair needs Docker
 * (a data container to make, plugin users to check) is tried again until
 * Docker answers (unreachable, or answering with an error or too late), for {@link #WAIT_FOR_DOCKER} at most; a volume that cannot
 * be put right is logged and left to {@code flocker-volume repair}.
 */
final class StartupRepair implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(StartupRepair.class);

    static final Duration WAIT_FOR_DOCKER = Duration.ofMinutes(10);
    static final Duration RETRY_EVERY = Duration.ofSeconds(5);

    private final VolumeService service;
    private final Duration waitForDocker;
    private final Duration retryEvery;

    StartupRepair(VolumeService service, Duration waitForDocker, Duration retryEvery) {
        this.service = service;
        this.waitForDocker = waitForDocker;
        this.retryEvery = retryEvery;
    }

    /** Runs it on a daemon thread of its own: the agent serves meanwhile. */
    static Thread start(VolumeService service) {
        Thread t = new Thread(new StartupRepair(service, WAIT_FOR_DOCKER, RETRY_EVERY), "flocker-agent-repair");
        t.setDaemon(true);
        t.start();
        return t;
    }

    @Override
    public void run() {
        long start = System.nanoTime();
        Set<VolumeName> names = new LinkedHashSet<>();
        try {
            for (Filesystem fs : service.pool().list()) names.add(fs.id().name());
        } catch (VolumeException e) {
            LOG.warn("start-up repair: cannot list the volumes: {}", e.getMessage());
            return;
        }
        int actions = 0, failed = 0, total = names.size();
        boolean toldWaiting = false;
        while (true) {
            List<VolumeName> waiting = new ArrayList<>();
            DockerException why = null;
            for (VolumeName n : names) {
                try {
                    actions += service.repair(n).size();
                } catch (DockerException e) {
                    waiting.add(n);
                    why = e;
                } catch (VolumeException e) {
                    failed++;
                    LOG.warn("start-up repair of volume {} failed (flocker-volume repair {} tries again): {}", n.value(),
                        n.value(), e.getMessage());
                } catch (RuntimeException e) {
                    failed++;
                    LOG.error("start-up repair of volume {} failed with an internal error", n.value(), e);
                }
            }
            long ms = (System.nanoTime() - start) / 1_000_000;
            if (waiting.isEmpty()) {
                LOG.info("start-up repair done: {} volume(s), {} action(s), {} failed, {} ms", total, actions, failed, ms);
                return;
            }
            if (ms >= waitForDocker.toMillis()) {
                LOG.warn("start-up repair: Docker is still not reachable after {} s, so {} volume(s) were not put right "
                    + "(flocker-volume repair does it): {}: {}", ms / 1000, waiting.size(), names(waiting), why.getMessage());
                return;
            }
            if (!toldWaiting) {
                toldWaiting = true;
                LOG.info("start-up repair: waiting for Docker, up to {} s, to finish {} volume(s): {}: {}",
                    waitForDocker.toSeconds(), waiting.size(), names(waiting), why.getMessage());
            }
            try {
                Thread.sleep(retryEvery.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            names = new LinkedHashSet<>(waiting);
        }
    }

    private static String names(List<VolumeName> names) {
        List<String> shown = names.stream().limit(5).map(VolumeName::value).toList();
        return String.join(", ", shown) + (names.size() > 5 ? ", ..." : "");
    }
}
