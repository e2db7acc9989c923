package io.flocker.volume.docker;

import io.flocker.volume.VolumeName;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Data containers kept in a map, for unit tests above Docker; and running
 * containers that a test starts ({@link #run}) with a host path mounted.
 */
public final class FakeDataContainers implements DataContainers, RunningContainers {
    /** A data container as the fake keeps it. */
    public record Container(Path hostPath, Path mountPath) {}

    private final Map<String, Container> containers = new LinkedHashMap<>();
    private final Map<RunningContainers.Container, Path> running = new LinkedHashMap<>();
    private final List<String> stopped = new ArrayList<>();
    /** Run when a container is stopped (a test's stand-in for what Docker does then). */
    public volatile java.util.function.Consumer<RunningContainers.Container> onStop = c -> {};
    private boolean closed;

    /** A running container {@code name} with {@code hostPath} mounted. */
    public synchronized RunningContainers.Container run(String name, Path hostPath, long pid) {
        RunningContainers.Container c = new RunningContainers.Container("id-" + name, name, pid);
        running.put(c, hostPath);
        return c;
    }

    @Override
    public synchronized List<RunningContainers.Container> using(Path hostPath) {
        return running.entrySet().stream().filter(e -> e.getValue().startsWith(hostPath)).map(Map.Entry::getKey).toList();
    }

    private final java.util.Set<String> volumesInContainers = new java.util.HashSet<>();

    /** Some container, running or not, now has the volume {@code name} mounted (or no longer, with false). */
    public synchronized void volumeInAContainer(String name, boolean present) {
        if (present) volumesInContainers.add(name); else volumesInContainers.remove(name);
    }

    @Override
    public synchronized boolean anyHasVolume(VolumeName volume) {
        return volumesInContainers.contains(volume.value());
    }

    @Override
    public void stop(RunningContainers.Container container, Duration grace) {
        synchronized (this) {
            if (running.remove(container) == null) return;
            stopped.add(container.name());
        }
        onStop.accept(container);
    }

    /** The names of the containers stopped, in order. */
    public synchronized List<String> stopped() {
        return List.copyOf(stopped);
    }

    @Override
    public synchronized void create(VolumeName name, Path hostPath, Path mountPath) {
        String n = DataContainers.containerName(name);
        if (containers.containsKey(n)) throw new ContainerExists(n, null);
        containers.put(n, new Container(hostPath, mountPath));
    }

    @Override
    public synchronized boolean remove(VolumeName name) {
        return containers.remove(DataContainers.containerName(name)) != null;
    }

    @Override
    public synchronized boolean exists(VolumeName name) {
        return containers.containsKey(DataContainers.containerName(name));
    }

    @Override
    public synchronized void close() {
        closed = true;
    }

    /** Container name to container. */
    public synchronized Map<String, Container> all() {
        return Map.copyOf(containers);
    }

    public synchronized boolean closed() {
        return closed;
    }
}
