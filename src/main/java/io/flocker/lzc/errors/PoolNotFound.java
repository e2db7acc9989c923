package io.flocker.lzc.errors;

/** The pool is not imported on this machine. */
public class PoolNotFound extends DatasetNotFound {
    private static final long serialVersionUID = 1L;

    public PoolNotFound(int errno, String operation, String... names) {
        this("pool does not exist or is not imported", errno, operation, names);
    }

    public PoolNotFound(String reason, int errno, String operation, String... names) {
        super(reason, errno, operation, names);
    }
}
