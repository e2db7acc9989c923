package io.flocker.lzc.errors;

/** There is no checkpoint to discard. */
public class CheckpointNotFound extends ZfsException {
    private static final long serialVersionUID = 1L;

    public CheckpointNotFound(int errno, String operation, String... names) {
        this("the pool has no checkpoint", errno, operation, names);
    }

    public CheckpointNotFound(String reason, int errno, String operation, String... names) {
        super(reason, errno, operation, names);
    }
}
