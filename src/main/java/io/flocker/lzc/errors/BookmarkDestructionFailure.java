package io.flocker.lzc.errors;

import java.util.List;

/** One or more bookmarks could not be destroyed. */
public class BookmarkDestructionFailure extends MultipleOperationsFailure {
    private static final long serialVersionUID = 1L;

    public BookmarkDestructionFailure(int errno, String operation, List<ZfsException> errors, int suppressedCount) {
        super("destroying bookmarks failed", errno, operation, errors, suppressedCount);
    }
}
