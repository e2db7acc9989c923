package io.flocker.lzc.errors;

/** The pool lacks the bookmarks feature. */
public class BookmarkNotSupported extends FeatureNotSupported {
    private static final long serialVersionUID = 1L;

    public BookmarkNotSupported(int errno, String operation, String... names) {
        this("bookmarks are not enabled on this pool", errno, operation, names);
    }

    public BookmarkNotSupported(String reason, int errno, String operation, String... names) {
        super(reason, errno, operation, names);
    }
}
