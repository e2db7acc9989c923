package io.flocker.lzc.errors;

/** The operation needs a pool feature that is not enabled. */
public class FeatureNotSupported extends ZfsException {
    private static final long serialVersionUID = 1L;

    public FeatureNotSupported(int errno, String operation, String... names) {
        this("the pool does not have the feature this needs", errno, operation, names);
    }

    public FeatureNotSupported(String reason, int errno, String operation, String... names) {
        super(reason, errno, operation, names);
    }
}
