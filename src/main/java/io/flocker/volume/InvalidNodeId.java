package io.flocker.volume;

/** Text that is not a node UUID in its canonical form. */
public class InvalidNodeId extends VolumeException {
    private static final long serialVersionUID = 1L;

    public InvalidNodeId(String input) {
        super("invalid node UUID " + quote(input)
            + ": expected the canonical lower-case form, e.g. 0b6c1fc4-3a7e-4b3f-9a59-2c1e7f3d8a10");
    }
}
