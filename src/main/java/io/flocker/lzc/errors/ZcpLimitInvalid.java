package io.flocker.lzc.errors;

/** The limits given to a channel program are out of range. */
public class ZcpLimitInvalid extends ChannelProgramError {
    private static final long serialVersionUID = 1L;

    public ZcpLimitInvalid(int errno, String operation, String... names) {
        this("instruction or memory limit is out of range", errno, operation, names);
    }

    public ZcpLimitInvalid(String reason, int errno, String operation, String... names) {
        super(reason, errno, operation, names);
    }
}
