package io.flocker.lzc.errors;

/** Promote was asked of a dataset that is not a clone. */
public class NotClone extends ZfsException {
    private static final long serialVersionUID = 1L;

    public NotClone(int errno, String operation, String... names) {
        this("dataset is not a clone", errno, operation, names);
    }

    public NotClone(String reason, int errno, String operation, String... names) {
        super(reason, errno, operation, names);
    }
}
