package io.flocker.lzc.errors;

/** The cleanup descriptor given to hold is not an open descriptor of /dev/zfs. */
public class BadHoldCleanupFd extends ZfsException {
    private static final long serialVersionUID = 1L;

    public BadHoldCleanupFd(int errno, String operation, String... names) {
        this("the descriptor for temporary holds is not open", errno, operation, names);
    }

    public BadHoldCleanupFd(String reason, int errno, String operation, String... names) {
        super(reason, errno, operation, names);
    }
}
