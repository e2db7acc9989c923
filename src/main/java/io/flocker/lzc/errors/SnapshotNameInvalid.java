package io.flocker.lzc.errors;

/** A snapshot name ({@code fs@snap}) breaks ZFS's naming rules. */
public class SnapshotNameInvalid extends NameInvalid {
    private static final long serialVersionUID = 1L;

    public SnapshotNameInvalid(int errno, String operation, String... names) {
        this("not a valid snapshot name", errno, operation, names);
    }

    public SnapshotNameInvalid(String reason, int errno, String operation, String... names) {
        super(reason, errno, operation, names);
    }
}
