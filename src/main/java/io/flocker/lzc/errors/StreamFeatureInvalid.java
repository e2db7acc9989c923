package io.flocker.lzc.errors;

/** The stream and the receive options do not fit together. */
public class StreamFeatureInvalid extends ZfsException {
    private static final long serialVersionUID = 1L;

    public StreamFeatureInvalid(int errno, String operation, String... names) {
        this("the stream's features cannot be received this way (e.g. resumable with a deduplicated stream)", errno, operation, names);
    }

    public StreamFeatureInvalid(String reason, int errno, String operation, String... names) {
        super(reason, errno, operation, names);
    }
}
