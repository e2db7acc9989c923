package io.flocker.volume;

/** A volume or snapshot name that cannot be used; the message names it. */
public class InvalidVolumeName extends VolumeException {
    private static final long serialVersionUID = 1L;

    private final String input;

    public InvalidVolumeName(String input, String message) {
        super(message);
        this.input = input;
    }

    /** The refused text, as given. */
    public String input() {
        return input;
    }
}
