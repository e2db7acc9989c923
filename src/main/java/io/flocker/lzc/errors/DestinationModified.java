package io.flocker.lzc.errors;

/** An incremental receive target has changes after its newest snapshot. */
public class DestinationModified extends ZfsException {
    private static final long serialVersionUID = 1L;

    public DestinationModified(int errno, String operation, String... names) {
        this("the target was changed since its newest snapshot (receive with force to roll it back)", errno, operation, names);
    }

    public DestinationModified(String reason, int errno, String operation, String... names) {
        super(reason, errno, operation, names);
    }
}
