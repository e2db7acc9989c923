package io.flocker.ssh;

import io.flocker.volume.VolumeException;

/** The SSH connection, the login or a channel failed. */
public class SshFailed extends VolumeException {
    private static final long serialVersionUID = 1L;

    public SshFailed(String message) {
        super(message);
    }

    public SshFailed(String message, Throwable cause) {
        super(message, cause);
    }
}
