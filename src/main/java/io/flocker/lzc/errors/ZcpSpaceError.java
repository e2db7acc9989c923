package io.flocker.lzc.errors;

/** The channel program's changes need more space than the pool has. */
public class ZcpSpaceError extends ChannelProgramError {
    private static final long serialVersionUID = 1L;

    public ZcpSpaceError(int errno, String operation, String... names) {
        this("channel program ran out of pool space", errno, operation, names);
    }

    public ZcpSpaceError(String reason, int errno, String operation, String... names) {
        super(reason, errno, operation, names);
    }
}
