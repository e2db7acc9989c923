package io.flocker.lzc.errors;

/** The stream needs a pool feature that is not enabled. */
public class StreamFeatureNotSupported extends ZfsException {
    private static final long serialVersionUID = 1L;

    public StreamFeatureNotSupported(int errno, String operation, String... names) {
        this("the stream uses a feature this pool does not support", errno, operation, names);
    }

    public StreamFeatureNotSupported(String reason, int errno, String operation, String... names) {
        super(reason, errno, operation, names);
    }
}
