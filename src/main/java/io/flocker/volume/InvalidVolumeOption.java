package io.flocker.volume;

/** A volume option (Docker's {@code -o NAME=VALUE}) that is not one we take, or a value it cannot have; the message names it. */
public class InvalidVolumeOption extends VolumeException {
    private static final long serialVersionUID = 1L;
    private final String option;

    public InvalidVolumeOption(String option, String message) {
        super(message);
        this.option = option;
    }

    /** The refused option's name, as given. */
    public String option() {
        return option;
    }
}
