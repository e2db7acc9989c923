package io.flocker.lzc.errors;

/** A bookmark name ({@code fs#mark}) breaks ZFS's naming rules. */
public class BookmarkNameInvalid extends NameInvalid {
    private static final long serialVersionUID = 1L;

    public BookmarkNameInvalid(int errno, String operation, String... names) {
        this("not a valid bookmark name", errno, operation, names);
    }

    public BookmarkNameInvalid(String reason, int errno, String operation, String... names) {
        super(reason, errno, operation, names);
    }
}
