package io.flocker.lzc.errors;

/** A snapshot cannot be destroyed because clones depend on it. */
public class SnapshotIsCloned extends DatasetBusy {
    private static final long serialVersionUID = 1L;

    public SnapshotIsCloned(int errno, String operation, String... names) {
        this("snapshot has clones (destroy them first, or destroy with defer)", errno, operation, names);
    }

    public SnapshotIsCloned(String reason, int errno, String operation, String... names) {
        super(reason, errno, operation, names);
    }
}
