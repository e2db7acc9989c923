package io.flocker.lzc.errors;

/** The named bookmark does not exist. */
public class BookmarkNotFound extends DatasetNotFound {
    private static final long serialVersionUID = 1L;

    public BookmarkNotFound(int errno, String operation, String... names) {
        this("bookmark does not exist", errno, operation, names);
    }

    public BookmarkNotFound(String reason, int errno, String operation, String... names) {
        super(reason, errno, operation, names);
    }
}
