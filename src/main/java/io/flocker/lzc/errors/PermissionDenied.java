package io.flocker.lzc.errors;

/** The caller may not do this (not root, or delegated permissions missing). */
public class PermissionDenied extends ZfsException {
    private static final long serialVersionUID = 1L;

    public PermissionDenied(int errno, String operation, String... names) {
        this("permission denied", errno, operation, names);
    }

    public PermissionDenied(String reason, int errno, String operation, String... names) {
        super(reason, errno, operation, names);
    }
}
