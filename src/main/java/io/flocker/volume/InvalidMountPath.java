package io.flocker.volume;

/** A mount path (where containers see the volume) that cannot be used. */
public class InvalidMountPath extends VolumeException {
    private static final long serialVersionUID = 1L;

    public InvalidMountPath(String input, String why) {
        super("invalid mount path " + quote(input) + ": " + why);
    }
}
