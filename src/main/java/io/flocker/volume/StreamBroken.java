package io.flocker.volume;

/** Writing a send stream stopped because its reader went away or failed; the sender's volume is unchanged. */
public class StreamBroken extends VolumeException {
    private static final long serialVersionUID = 1L;

    public StreamBroken(String message) {
        super(message);
    }

    public StreamBroken(String message, Throwable cause) {
        super(message, cause);
    }
}
