package io.flocker.lzc.errors;

/** The channel program raised a Lua error while running. */
public class ZcpRuntimeError extends ChannelProgramError {
    private static final long serialVersionUID = 1L;

    public ZcpRuntimeError(int errno, String operation, String... names) {
        this("channel program raised an error", errno, operation, names);
    }

    public ZcpRuntimeError(String reason, int errno, String operation, String... names) {
        super(reason, errno, operation, names);
    }
}
