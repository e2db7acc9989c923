package io.flocker.volume;

/** The volume belongs to another node: this node may read it, never change it. */
public class NotOwner extends VolumeException {
    private static final long serialVersionUID = 1L;

    public NotOwner(String message) {
        super(message);
    }
}
