package io.flocker.lzc.errors;

/** The from-snapshot of an incremental operation is not an ancestor of the to-snapshot. */
public class SnapshotMismatch extends ZfsException {
    private static final long serialVersionUID = 1L;

    public SnapshotMismatch(int errno, String operation, String... names) {
        this("the snapshots are not related (the first is not an earlier snapshot of the same file system)", errno, operation, names);
    }

    public SnapshotMismatch(String reason, int errno, String operation, String... names) {
        super(reason, errno, operation, names);
    }
}
