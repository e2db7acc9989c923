package io.flocker.volume.docker;

import io.flocker.volume.VolumeException;

/** The data container's image is not on the Docker daemon. */
public class ImageNotFound extends DockerException {
    private static final long serialVersionUID = 1L;

    public ImageNotFound(String image, Throwable cause) {
        super("image " + VolumeException.quote(image) + " is not on the Docker daemon (docker pull or docker load it, "
            + "or choose another with --image)", cause);
    }
}
