package io.flocker.volume;

/** The volume has a snapshot of that name already. */
public class SnapshotExists extends VolumeException {
    private static final long serialVersionUID = 1L;

    public SnapshotExists(VolumeId id, String snapshot) {
        super("volume " + quote(id.name().value()) + " of node " + id.owner() + " has a snapshot "
            + quote(snapshot) + " already");
    }
}
