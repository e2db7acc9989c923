package io.flocker.lzc.errors;

/**
 * libzfs refused a property or its value (an unknown, read-only or
 * inapplicable property, a value it cannot parse, a quota below what is
 * used): names the dataset, and carries the property and the value.
 */
public class PropertyValueInvalid extends PropertyInvalid {
    private static final long serialVersionUID = 1L;

    private final String property;
    private final String value;

    /**
     * @param value the value given, or null when the property alone was refused
     */
    public PropertyValueInvalid(String reason, int errno, String operation, String dataset, String property, String value) {
        super(describe(property, value) + ": " + reason, errno, operation, dataset);
        this.property = property;
        this.value = value;
    }

    private static String describe(String property, String value) {
        return value == null ? "property '" + property + "'" : "property " + property + "='" + value + "'";
    }

    /** The property's name as given. */
    public String property() { return property; }

    /** The value as given, or null when none was (a property read). */
    public String value() { return value; }
}
