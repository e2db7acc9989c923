package io.flocker.lzc.errors;

/** The channel program reached its memory limit. */
public class ZcpMemoryError extends ChannelProgramError {
    private static final long serialVersionUID = 1L;

    public ZcpMemoryError(int errno, String operation, String... names) {
        this("channel program ran out of memory (raise the memory limit)", errno, operation, names);
    }

    public ZcpMemoryError(String reason, int errno, String operation, String... names) {
        super(reason, errno, operation, names);
    }
}
