package io.flocker.lzc.errors;

import java.util.List;

/** One or more bookmarks could not be made. */
public class BookmarkFailure extends MultipleOperationsFailure {
    private static final long serialVersionUID = 1L;

    public BookmarkFailure(int errno, String operation, List<ZfsException> errors, int suppressedCount) {
        super("creating bookmarks failed", errno, operation, errors, suppressedCount);
    }
}
