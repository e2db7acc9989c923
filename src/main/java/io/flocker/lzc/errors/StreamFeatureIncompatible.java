package io.flocker.lzc.errors;

/** The stream needs options the receive did not ask for. */
public class StreamFeatureIncompatible extends ZfsException {
    private static final long serialVersionUID = 1L;

    public StreamFeatureIncompatible(int errno, String operation, String... names) {
        this("the stream has embedded data that a non-raw receive cannot take here", errno, operation, names);
    }

    public StreamFeatureIncompatible(String reason, int errno, String operation, String... names) {
        super(reason, errno, operation, names);
    }
}
