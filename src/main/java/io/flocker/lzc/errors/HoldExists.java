package io.flocker.lzc.errors;

/** The snapshot already carries a hold with that tag. */
public class HoldExists extends ZfsException {
    private static final long serialVersionUID = 1L;

    public HoldExists(int errno, String operation, String... names) {
        this("a hold with that tag already exists on the snapshot", errno, operation, names);
    }

    public HoldExists(String reason, int errno, String operation, String... names) {
        super(reason, errno, operation, names);
    }
}
