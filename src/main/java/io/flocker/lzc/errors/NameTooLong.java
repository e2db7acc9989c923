package io.flocker.lzc.errors;

/** A name, or a hold tag, is longer than ZFS allows. */
public class NameTooLong extends ZfsException {
    private static final long serialVersionUID = 1L;

    public NameTooLong(int errno, String operation, String... names) {
        this("name is longer than ZFS allows (255 characters)", errno, operation, names);
    }

    public NameTooLong(String reason, int errno, String operation, String... names) {
        super(reason, errno, operation, names);
    }
}
