package io.flocker.lzc.errors;

/** Reading or writing the send stream's file descriptor failed. */
public class StreamIoError extends ZfsException {
    private static final long serialVersionUID = 1L;

    public StreamIoError(int errno, String operation, String... names) {
        this("the stream could not be read or written", errno, operation, names);
    }

    public StreamIoError(String reason, int errno, String operation, String... names) {
        super(reason, errno, operation, names);
    }
}
