package io.flocker.lzc.errors;

/** The snapshot does not carry a hold with that tag. */
public class HoldNotFound extends ZfsException {
    private static final long serialVersionUID = 1L;

    public HoldNotFound(int errno, String operation, String... names) {
        this("no such hold on the snapshot", errno, operation, names);
    }

    public HoldNotFound(String reason, int errno, String operation, String... names) {
        super(reason, errno, operation, names);
    }
}
