package io.flocker.lzc.errors;

/** The dataset's quota does not allow this. */
public class QuotaExceeded extends ZfsException {
    private static final long serialVersionUID = 1L;

    public QuotaExceeded(int errno, String operation, String... names) {
        this("quota exceeded", errno, operation, names);
    }

    public QuotaExceeded(String reason, int errno, String operation, String... names) {
        super(reason, errno, operation, names);
    }
}
