package io.flocker.lzc.errors;

/** The pool is out of space. */
public class NoSpace extends ZfsException {
    private static final long serialVersionUID = 1L;

    public NoSpace(int errno, String operation, String... names) {
        this("out of space in the pool", errno, operation, names);
    }

    public NoSpace(String reason, int errno, String operation, String... names) {
        super(reason, errno, operation, names);
    }
}
