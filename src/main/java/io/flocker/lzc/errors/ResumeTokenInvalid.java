package io.flocker.lzc.errors;

/** A receive_resume_token string could not be decoded. */
public class ResumeTokenInvalid extends ZfsException {
    private static final long serialVersionUID = 1L;

    public ResumeTokenInvalid(int errno, String operation, String... names) {
        this("the receive resume token is not valid", errno, operation, names);
    }

    public ResumeTokenInvalid(String reason, int errno, String operation, String... names) {
        super(reason, errno, operation, names);
    }
}
