package io.flocker.lzc.errors;

/** One atomic call was given names from more than one pool. */
public class PoolsDiffer extends ZfsException {
    private static final long serialVersionUID = 1L;

    public PoolsDiffer(int errno, String operation, String... names) {
        this("names are in different pools; this call works within one pool", errno, operation, names);
    }

    public PoolsDiffer(String reason, int errno, String operation, String... names) {
        super(reason, errno, operation, names);
    }
}
