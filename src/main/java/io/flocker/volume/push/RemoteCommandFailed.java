package io.flocker.volume.push;

import io.flocker.volume.VolumeException;

/** flocker-volume on the other machine failed; the message carries its own error text and exit status. */
public class RemoteCommandFailed extends VolumeException {
    private static final long serialVersionUID = 1L;
    private final int exitStatus;

    public RemoteCommandFailed(String message, int exitStatus, Throwable cause) {
        super(message, cause);
        this.exitStatus = exitStatus;
    }

    /** The remote command's exit status; -1 when it did not say. */
    public int exitStatus() {
        return exitStatus;
    }
}
