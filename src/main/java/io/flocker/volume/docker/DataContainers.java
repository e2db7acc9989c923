package io.flocker.volume.docker;

import io.flocker.volume.VolumeName;
import java.nio.file.Path;

/**
 * Docker data containers: for volume {@code <name>}, a container {@code
 * flocker-<name>-data}, created and never started, that binds the volume's
 * mountpoint at its mount path, so {@code docker run --volumes-from
 * flocker-<name>-data ...} sees the volume. The volume manager reaches Docker
 * only through this interface.
 */
public interface DataContainers extends AutoCloseable {
    /** The container's name for volume {@code name}. */
    static String containerName(VolumeName name) {
        return "flocker-" + name.value() + "-data";
    }

    /**
     * Creates the data container of volume {@code name}.
     *
     * @param hostPath the volume's mountpoint on this machine
     * @param mountPath where containers are to see it
     * @throws ContainerExists when a container of that name exists
     * @throws ImageNotFound when the image is not on the daemon
     * @throws DockerUnavailable when the daemon cannot be reached
     */
    void create(VolumeName name, Path hostPath, Path mountPath);

    /**
     * Removes the data container of volume {@code name}.
     *
     * @return false when there was none
     * @throws DockerUnavailable when the daemon cannot be reached
     */
    boolean remove(VolumeName name);

    /** Whether the data container of volume {@code name} exists. */
    boolean exists(VolumeName name);

    /** Releases the connection to the daemon; the default has none. */
    @Override
    default void close() {}
}
