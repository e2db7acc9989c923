package io.flocker.lzc.errors;

/** An incremental stream's origin does not match the target. */
public class StreamMismatch extends ZfsException {
    private static final long serialVersionUID = 1L;

    public StreamMismatch(int errno, String operation, String... names) {
        this("the incremental stream does not apply: the target's newest snapshot is not the stream's origin", errno, operation, names);
    }

    public StreamMismatch(String reason, int errno, String operation, String... names) {
        super(reason, errno, operation, names);
    }
}
