package io.flocker.lzc.errors;

/** The property exists but the pool cannot use it. */
public class PropertyNotSupported extends ZfsException {
    private static final long serialVersionUID = 1L;

    public PropertyNotSupported(int errno, String operation, String... names) {
        this("property is not supported by this pool's version or features", errno, operation, names);
    }

    public PropertyNotSupported(String reason, int errno, String operation, String... names) {
        super(reason, errno, operation, names);
    }
}
