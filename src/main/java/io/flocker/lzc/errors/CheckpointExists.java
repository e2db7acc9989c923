package io.flocker.lzc.errors;

/** A checkpoint exists already. */
public class CheckpointExists extends ZfsException {
    private static final long serialVersionUID = 1L;

    public CheckpointExists(int errno, String operation, String... names) {
        this("the pool already has a checkpoint", errno, operation, names);
    }

    public CheckpointExists(String reason, int errno, String operation, String... names) {
        super(reason, errno, operation, names);
    }
}
