package io.flocker.lzc.errors;

import java.util.List;

/** The data arrived but some properties were refused. */
public class ReceivePropertyFailure extends MultipleOperationsFailure {
    private static final long serialVersionUID = 1L;

    public ReceivePropertyFailure(int errno, String operation, List<ZfsException> errors, int suppressedCount) {
        super("the stream was received, but some properties could not be set", errno, operation, errors, suppressedCount);
    }

    /** With the snapshot received, named in the message; {@link #errors()} are named after their properties. */
    public ReceivePropertyFailure(int errno, String operation, String snapshot, List<ZfsException> errors,
                                  int suppressedCount) {
        super("the stream was received into " + snapshot + ", but some properties could not be set", errno, operation,
            errors, suppressedCount);
    }
}
