package io.flocker.lzc.errors;

/** The parent of a dataset is a volume. */
public class WrongParent extends ZfsException {
    private static final long serialVersionUID = 1L;

    public WrongParent(int errno, String operation, String... names) {
        this("parent is not a file system (a volume cannot have children)", errno, operation, names);
    }

    public WrongParent(String reason, int errno, String operation, String... names) {
        super(reason, errno, operation, names);
    }
}
