package io.flocker.lzc.errors;

/** The named snapshot does not exist. */
public class SnapshotNotFound extends DatasetNotFound {
    private static final long serialVersionUID = 1L;

    public SnapshotNotFound(int errno, String operation, String... names) {
        this("snapshot does not exist", errno, operation, names);
    }

    public SnapshotNotFound(String reason, int errno, String operation, String... names) {
        super(reason, errno, operation, names);
    }
}
