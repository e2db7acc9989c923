package io.flocker.volume;

/** A volume (or its data container) of that owner and name exists already. */
public class VolumeExists extends VolumeException {
    private static final long serialVersionUID = 1L;

    public VolumeExists(String message) {
        super(message);
    }

    public VolumeExists(VolumeId id) {
        this("volume " + quote(id.name().value()) + " of node " + id.owner() + " exists already");
    }
}
