package io.flocker.ssh;

import io.flocker.volume.VolumeException;

/** A push destination that is not {@code [user@]host[:port]}. */
public class InvalidDestination extends VolumeException {
    private static final long serialVersionUID = 1L;

    public InvalidDestination(String message) {
        super(message);
    }
}
