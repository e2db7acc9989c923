package io.flocker.lzc.errors;

/** The dataset is in use (mounted, open, or being changed by another operation). */
public class DatasetBusy extends ZfsException {
    private static final long serialVersionUID = 1L;

    public DatasetBusy(int errno, String operation, String... names) {
        this("dataset is busy", errno, operation, names);
    }

    public DatasetBusy(String reason, int errno, String operation, String... names) {
        super(reason, errno, operation, names);
    }
}
