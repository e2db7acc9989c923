package io.flocker.lzc.errors;

import java.util.List;

/** One or more holds could not be placed. */
public class HoldFailure extends MultipleOperationsFailure {
    private static final long serialVersionUID = 1L;

    public HoldFailure(int errno, String operation, List<ZfsException> errors, int suppressedCount) {
        super("placing holds failed", errno, operation, errors, suppressedCount);
    }
}
