package io.flocker.lzc.errors;

/** A property name, value or value type is not acceptable for this dataset. */
public class PropertyInvalid extends ZfsException {
    private static final long serialVersionUID = 1L;

    public PropertyInvalid(int errno, String operation, String... names) {
        this("property or property value is not valid", errno, operation, names);
    }

    public PropertyInvalid(String reason, int errno, String operation, String... names) {
        super(reason, errno, operation, names);
    }
}
