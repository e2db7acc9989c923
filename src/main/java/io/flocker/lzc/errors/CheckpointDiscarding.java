package io.flocker.lzc.errors;

/** A previous checkpoint is still being discarded. */
public class CheckpointDiscarding extends ZfsException {
    private static final long serialVersionUID = 1L;

    public CheckpointDiscarding(int errno, String operation, String... names) {
        this("the pool's checkpoint is still being discarded", errno, operation, names);
    }

    public CheckpointDiscarding(String reason, int errno, String operation, String... names) {
        super(reason, errno, operation, names);
    }
}
