package io.flocker.volume.push;

import io.flocker.volume.VolumeException;

/** A handoff stopped part way; the message says at which step and which node owns the volume now. */
public class HandoffFailed extends VolumeException {
    private static final long serialVersionUID = 1L;

    public HandoffFailed(String message, Throwable cause) {
        super(message, cause);
    }
}
