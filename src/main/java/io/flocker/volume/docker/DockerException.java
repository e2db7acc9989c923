package io.flocker.volume.docker;

import io.flocker.volume.VolumeException;

/** Docker refused or failed a request; the message says which and why. */
public class DockerException extends VolumeException {
    private static final long serialVersionUID = 1L;

    public DockerException(String message, Throwable cause) {
        super(message, cause);
    }
}
