package io.flocker.volume;

/** No volume of that owner and name exists in the pool. */
public class VolumeNotFound extends VolumeException {
    private static final long serialVersionUID = 1L;

    public VolumeNotFound(String message) {
        super(message);
    }

    public VolumeNotFound(VolumeId id) {
        this("volume " + quote(id.name().value()) + " of node " + id.owner() + " does not exist");
    }
}
