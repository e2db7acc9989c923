package io.flocker.lzc.errors;

/** A channel program failed. */
public class ChannelProgramError extends ZfsException {
    private static final long serialVersionUID = 1L;

    public ChannelProgramError(int errno, String operation, String... names) {
        this("channel program failed", errno, operation, names);
    }

    public ChannelProgramError(String reason, int errno, String operation, String... names) {
        super(reason, errno, operation, names);
    }
}
