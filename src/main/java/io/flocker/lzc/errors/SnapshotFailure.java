package io.flocker.lzc.errors;

import java.util.List;

/** One or more snapshots could not be made; snapshot is atomic, so none was. */
public class SnapshotFailure extends MultipleOperationsFailure {
    private static final long serialVersionUID = 1L;

    public SnapshotFailure(int errno, String operation, List<ZfsException> errors, int suppressedCount) {
        super("snapshot failed, nothing was created", errno, operation, errors, suppressedCount);
    }
}
