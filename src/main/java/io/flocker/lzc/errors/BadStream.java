package io.flocker.lzc.errors;

/** A receive was given a stream it cannot use: garbage, corrupt or of the wrong kind. */
public class BadStream extends ZfsException {
    private static final long serialVersionUID = 1L;

    public BadStream(int errno, String operation, String... names) {
        this("the send stream is invalid or corrupt", errno, operation, names);
    }

    public BadStream(String reason, int errno, String operation, String... names) {
        super(reason, errno, operation, names);
    }
}
