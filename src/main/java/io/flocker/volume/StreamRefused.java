package io.flocker.volume;

/** A received stream was not used: not a send stream, truncated, or not fitting the copy this node has. The copy is as it was. */
public class StreamRefused extends VolumeException {
    private static final long serialVersionUID = 1L;

    public StreamRefused(String message) {
        super(message);
    }

    public StreamRefused(String message, Throwable cause) {
        super(message, cause);
    }
}
