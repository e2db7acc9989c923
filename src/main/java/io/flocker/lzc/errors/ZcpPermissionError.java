package io.flocker.lzc.errors;

/** The channel program tried something it may not. */
public class ZcpPermissionError extends ChannelProgramError {
    private static final long serialVersionUID = 1L;

    public ZcpPermissionError(int errno, String operation, String... names) {
        this("channel program is not allowed to do that", errno, operation, names);
    }

    public ZcpPermissionError(String reason, int errno, String operation, String... names) {
        super(reason, errno, operation, names);
    }
}
