package io.flocker.lzc.errors;

/** The named dataset, snapshot or bookmark does not exist. */
public class DatasetNotFound extends ZfsException {
    private static final long serialVersionUID = 1L;

    public DatasetNotFound(int errno, String operation, String... names) {
        this("dataset does not exist", errno, operation, names);
    }

    public DatasetNotFound(String reason, int errno, String operation, String... names) {
        super(reason, errno, operation, names);
    }
}
