package io.flocker.lzc.errors;

/** A dataset name breaks ZFS's naming rules. */
public class FilesystemNameInvalid extends NameInvalid {
    private static final long serialVersionUID = 1L;

    public FilesystemNameInvalid(int errno, String operation, String... names) {
        this("not a valid dataset name", errno, operation, names);
    }

    public FilesystemNameInvalid(String reason, int errno, String operation, String... names) {
        super(reason, errno, operation, names);
    }
}
