package io.flocker.lzc.errors;

/** A dataset, snapshot or bookmark with that name already exists. */
public class DatasetExists extends ZfsException {
    private static final long serialVersionUID = 1L;

    public DatasetExists(int errno, String operation, String... names) {
        this("dataset already exists", errno, operation, names);
    }

    public DatasetExists(String reason, int errno, String operation, String... names) {
        super(reason, errno, operation, names);
    }
}
