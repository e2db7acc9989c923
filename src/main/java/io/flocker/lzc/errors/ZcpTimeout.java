package io.flocker.lzc.errors;

/** The channel program reached its instruction limit. */
public class ZcpTimeout extends ChannelProgramError {
    private static final long serialVersionUID = 1L;

    public ZcpTimeout(int errno, String operation, String... names) {
        this("channel program ran out of instructions (raise the instruction limit)", errno, operation, names);
    }

    public ZcpTimeout(String reason, int errno, String operation, String... names) {
        super(reason, errno, operation, names);
    }
}
