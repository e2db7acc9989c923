package io.flocker.volume;

/** The volume is in use (mounted into a running container, held, cloned). */
public class VolumeBusy extends VolumeException {
    private static final long serialVersionUID = 1L;

    public VolumeBusy(String message, Throwable cause) {
        super(message, cause);
    }
}
