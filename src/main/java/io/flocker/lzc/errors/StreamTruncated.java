package io.flocker.lzc.errors;

/** A receive's stream ended before its end record. */
public class StreamTruncated extends BadStream {
    private static final long serialVersionUID = 1L;

    public StreamTruncated(int errno, String operation, String... names) {
        this("the send stream ended early", errno, operation, names);
    }

    public StreamTruncated(String reason, int errno, String operation, String... names) {
        super(reason, errno, operation, names);
    }
}
