package io.flocker.lzc.errors;

/**
 * A property was set, but libzfs could not then mount the dataset again the
 * way the new value asks (libzfs remounts a mounted file system after a
 * change of readonly, exec, setuid, devices, atime, ... and mounts it at a
 * new mountpoint). The new value is in effect in the pool. The usual cause:
 * the file system is mounted somewhere other than its mountpoint property
 * says, and libzfs remounts only that path (EINVAL).
 */
public class RemountFailed extends ZfsException {
    private static final long serialVersionUID = 1L;

    public RemountFailed(String reason, int errno, String operation, String... names) {
        super(reason, errno, operation, names);
    }
}
