package io.flocker.lzc.errors;

/** The pool is suspended after I/O errors. */
public class SuspendedPool extends ZfsException {
    private static final long serialVersionUID = 1L;

    public SuspendedPool(int errno, String operation, String... names) {
        this("the pool is suspended (I/O failures); see zpool status", errno, operation, names);
    }

    public SuspendedPool(String reason, int errno, String operation, String... names) {
        super(reason, errno, operation, names);
    }
}
