package io.flocker.volume.docker;

import io.flocker.volume.VolumeException;

/** A container of the data container's name exists already. */
public class ContainerExists extends DockerException {
    private static final long serialVersionUID = 1L;

    public ContainerExists(String container, Throwable cause) {
        super("a Docker container named " + VolumeException.quote(container) + " exists already", cause);
    }
}
