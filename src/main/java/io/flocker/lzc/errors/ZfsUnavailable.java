package io.flocker.lzc.errors;

/** libzfs_core could not be initialised: no /dev/zfs, or no permission to open it. */
public class ZfsUnavailable extends ZfsException {
    private static final long serialVersionUID = 1L;

    public ZfsUnavailable(int errno, String operation, String... names) {
        this("ZFS is not available: /dev/zfs cannot be opened (is the zfs kernel module loaded, and are we root?)", errno, operation, names);
    }

    public ZfsUnavailable(String reason, int errno, String operation, String... names) {
        super(reason, errno, operation, names);
    }
}
