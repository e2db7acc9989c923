package io.flocker.ssh;

import io.flocker.volume.VolumeException;

/** The other machine's host key is unknown (and not to be trusted) or changed: nothing was sent. */
public class HostKeyRefused extends VolumeException {
    private static final long serialVersionUID = 1L;

    public HostKeyRefused(String message) {
        super(message);
    }

    public HostKeyRefused(String message, Throwable cause) {
        super(message, cause);
    }
}
