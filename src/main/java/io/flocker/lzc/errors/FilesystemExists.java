package io.flocker.lzc.errors;

/** A file system or volume with that name already exists. */
public class FilesystemExists extends DatasetExists {
    private static final long serialVersionUID = 1L;

    public FilesystemExists(int errno, String operation, String... names) {
        this("file system or volume already exists", errno, operation, names);
    }

    public FilesystemExists(String reason, int errno, String operation, String... names) {
        super(reason, errno, operation, names);
    }
}
