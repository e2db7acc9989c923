package io.flocker.lzc.errors;

/** A bookmark with that name already exists. */
public class BookmarkExists extends DatasetExists {
    private static final long serialVersionUID = 1L;

    public BookmarkExists(int errno, String operation, String... names) {
        this("bookmark already exists", errno, operation, names);
    }

    public BookmarkExists(String reason, int errno, String operation, String... names) {
        super(reason, errno, operation, names);
    }
}
