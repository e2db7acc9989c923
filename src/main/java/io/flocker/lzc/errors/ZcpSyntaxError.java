package io.flocker.lzc.errors;

/** The channel program's Lua does not compile. */
public class ZcpSyntaxError extends ChannelProgramError {
    private static final long serialVersionUID = 1L;

    public ZcpSyntaxError(int errno, String operation, String... names) {
        this("channel program does not compile", errno, operation, names);
    }

    public ZcpSyntaxError(String reason, int errno, String operation, String... names) {
        super(reason, errno, operation, names);
    }
}
