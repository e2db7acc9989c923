package io.flocker.lzc.errors;

/** The pool is imported read-only. */
public class ReadOnlyPool extends ZfsException {
    private static final long serialVersionUID = 1L;

    public ReadOnlyPool(int errno, String operation, String... names) {
        this("the pool is read-only", errno, operation, names);
    }

    public ReadOnlyPool(String reason, int errno, String operation, String... names) {
        super(reason, errno, operation, names);
    }
}
