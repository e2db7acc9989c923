package io.flocker.lzc.errors;

/** A dataset, snapshot, bookmark, pool or hold name breaks ZFS's naming rules. Thrown before the kernel is called. */
public class NameInvalid extends ZfsException {
    private static final long serialVersionUID = 1L;

    public NameInvalid(int errno, String operation, String... names) {
        this("not a valid name", errno, operation, names);
    }

    public NameInvalid(String reason, int errno, String operation, String... names) {
        super(reason, errno, operation, names);
    }
}
