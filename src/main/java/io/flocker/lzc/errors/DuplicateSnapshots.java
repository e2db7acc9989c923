package io.flocker.lzc.errors;

/** One snapshot call named the same file system twice. */
public class DuplicateSnapshots extends ZfsException {
    private static final long serialVersionUID = 1L;

    public DuplicateSnapshots(int errno, String operation, String... names) {
        this("more than one snapshot of the same file system in one call", errno, operation, names);
    }

    public DuplicateSnapshots(String reason, int errno, String operation, String... names) {
        super(reason, errno, operation, names);
    }
}
