package io.flocker.lzc.errors;

/** Rollback was asked to a snapshot that is not the newest. */
public class SnapshotNotLatest extends ZfsException {
    private static final long serialVersionUID = 1L;

    public SnapshotNotLatest(int errno, String operation, String... names) {
        this("snapshot is not the most recent one of its file system", errno, operation, names);
    }

    public SnapshotNotLatest(String reason, int errno, String operation, String... names) {
        super(reason, errno, operation, names);
    }
}
