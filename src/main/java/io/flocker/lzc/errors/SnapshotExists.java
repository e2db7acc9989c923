package io.flocker.lzc.errors;

/** A snapshot with that name already exists. */
public class SnapshotExists extends DatasetExists {
    private static final long serialVersionUID = 1L;

    public SnapshotExists(int errno, String operation, String... names) {
        this("snapshot already exists", errno, operation, names);
    }

    public SnapshotExists(String reason, int errno, String operation, String... names) {
        super(reason, errno, operation, names);
    }
}
