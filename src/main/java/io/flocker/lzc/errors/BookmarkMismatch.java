package io.flocker.lzc.errors;

/** A bookmark's source is of another file system. */
public class BookmarkMismatch extends ZfsException {
    private static final long serialVersionUID = 1L;

    public BookmarkMismatch(int errno, String operation, String... names) {
        this("a bookmark must be of a snapshot of the same file system", errno, operation, names);
    }

    public BookmarkMismatch(String reason, int errno, String operation, String... names) {
        super(reason, errno, operation, names);
    }
}
