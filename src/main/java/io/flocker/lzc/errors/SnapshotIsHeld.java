package io.flocker.lzc.errors;

/** A snapshot cannot be destroyed because it carries holds. */
public class SnapshotIsHeld extends DatasetBusy {
    private static final long serialVersionUID = 1L;

    public SnapshotIsHeld(int errno, String operation, String... names) {
        this("snapshot is held (release its holds first, or destroy with defer)", errno, operation, names);
    }

    public SnapshotIsHeld(String reason, int errno, String operation, String... names) {
        super(reason, errno, operation, names);
    }
}
