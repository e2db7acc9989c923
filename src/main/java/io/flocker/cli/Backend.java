package io.flocker.cli;

import io.flocker.volume.StoragePool;
import io.flocker.volume.docker.DataContainers;
import io.flocker.volume.docker.DockerDataContainers;
import io.flocker.volume.zfs.ZfsStoragePool;
import java.nio.file.Path;

/**
 * What the CLI runs on: the ZFS pool and the Docker daemon, or, in the CLI's
 * unit tests, stand-ins for them.
 */
public interface Backend {
    /** Opens the storage pool; fails with a {@link io.flocker.volume.VolumeException} saying why. */
    StoragePool pool(String name, Path mountRoot);

    /** The data containers, made from {@code image}. */
    DataContainers containers(String image);

    /** ZFS through libzfs_core, Docker through docker-java. */
    Backend REAL = new Backend() {
        @Override
        public StoragePool pool(String name, Path mountRoot) {
            return ZfsStoragePool.open(name, mountRoot);
        }

        @Override
        public DataContainers containers(String image) {
            return new DockerDataContainers(image);
        }
    };
}
