package io.flocker.lzc.errors;

import java.util.List;

/** One or more holds could not be released. */
public class HoldReleaseFailure extends MultipleOperationsFailure {
    private static final long serialVersionUID = 1L;

    public HoldReleaseFailure(int errno, String operation, List<ZfsException> errors, int suppressedCount) {
        super("releasing holds failed", errno, operation, errors, suppressedCount);
    }
}
