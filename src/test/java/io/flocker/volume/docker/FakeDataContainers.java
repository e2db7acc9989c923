package io.flocker.volume.docker;

import io.flocker.volume.VolumeName;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Data containers kept in a map, for unit tests above Docker. */
public final class FakeDataContainers implements DataContainers {
    /** A data container as the fake keeps it. */
    public record Container(Path hostPath, Path mountPath) {}

    private final Map<String, Container> containers = new LinkedHashMap<>();
    private boolean closed;

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
