package io.flocker.lzc.errors;

/** The named file system or volume does not exist. */
public class FilesystemNotFound extends DatasetNotFound {
    private static final long serialVersionUID = 1L;

    public FilesystemNotFound(int errno, String operation, String... names) {
        this("file system or volume does not exist", errno, operation, names);
    }

    public FilesystemNotFound(String reason, int errno, String operation, String... names) {
        super(reason, errno, operation, names);
    }
}
