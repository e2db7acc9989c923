package io.flocker.lzc.errors;

/** An I/O error happened in the pool. */
public class ZioError extends ZfsException {
    private static final long serialVersionUID = 1L;

    public ZioError(int errno, String operation, String... names) {
        this("I/O error in the pool", errno, operation, names);
    }

    public ZioError(String reason, int errno, String operation, String... names) {
        super(reason, errno, operation, names);
    }
}
