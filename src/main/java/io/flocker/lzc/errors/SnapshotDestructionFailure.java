package io.flocker.lzc.errors;

import java.util.List;

/** One or more snapshots could not be destroyed; the call is atomic. */
public class SnapshotDestructionFailure extends MultipleOperationsFailure {
    private static final long serialVersionUID = 1L;

    public SnapshotDestructionFailure(int errno, String operation, List<ZfsException> errors, int suppressedCount) {
        super("destroying snapshots failed, none was destroyed", errno, operation, errors, suppressedCount);
    }
}
