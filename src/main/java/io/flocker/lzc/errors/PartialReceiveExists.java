package io.flocker.lzc.errors;

/** A resumable receive left state that blocks a new receive. */
public class PartialReceiveExists extends ZfsException {
    private static final long serialVersionUID = 1L;

    public PartialReceiveExists(int errno, String operation, String... names) {
        this("the target holds a partially received stream; resume it or discard the partial state", errno, operation, names);
    }

    public PartialReceiveExists(String reason, int errno, String operation, String... names) {
        super(reason, errno, operation, names);
    }
}
