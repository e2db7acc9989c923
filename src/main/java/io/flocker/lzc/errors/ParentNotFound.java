package io.flocker.lzc.errors;

/** The parent of a dataset to create does not exist. */
public class ParentNotFound extends DatasetNotFound {
    private static final long serialVersionUID = 1L;

    public ParentNotFound(int errno, String operation, String... names) {
        this("parent dataset does not exist", errno, operation, names);
    }

    public ParentNotFound(String reason, int errno, String operation, String... names) {
        super(reason, errno, operation, names);
    }
}
