package io.flocker.lzc;

import io.flocker.lzc.errors.PropertyValueInvalid;
import java.util.Map;

/**
 * What {@link LibZfs} checks in Java before libzfs sees the input: dataset
 * names by ZFS's rules ({@link ZfsNames}), property names by their form,
 * values by their length. Whether a well-formed name is a native property
 * is asked of libzfs's property table afterwards, still before any ioctl.
 */
final class LibZfsInput {
    private LibZfsInput() {}

    /** A file system, volume or snapshot: libzfs opens all three. */
    static void checkDataset(String op, String dataset) {
        ZfsNames.checkFilesystemOrSnapshot(op, dataset);
    }

    /**
     * A user property (module:name, by {@link ZfsProperties}'s rules) or the
     * form of a native one: lower-case letters, digits and underscores.
     */
    static void checkPropertyName(String op, String dataset, String property) {
        if (property == null || property.isEmpty()) {
            throw new PropertyValueInvalid("no property name given", 0, op, dataset, String.valueOf(property), null);
        }
        if (ZfsProperties.isUserProperty(property)) {
            try {
                ZfsProperties.toKernel(op, dataset, Map.of(property, ""));
            } catch (io.flocker.lzc.errors.PropertyInvalid e) {
                throw new PropertyValueInvalid(e.reason(), 0, op, dataset, property, null);
            }
            return;
        }
        if (property.indexOf('@') >= 0) {
            throw new PropertyValueInvalid("per-user, per-group and written@ properties are not read or set here",
                0, op, dataset, property, null);
        }
        for (int i = 0; i < property.length(); i++) {
            char c = property.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_')) {
                throw new PropertyValueInvalid("a native property name has only a-z, 0-9 and _ (a user property "
                    + "is module:name), not '" + c + "'", 0, op, dataset, property, null);
            }
        }
    }

    /** A value libzfs can be given: present, no NUL, not longer than a property value can be. */
    static void checkValue(String op, String dataset, String property, String value) {
        if (value == null) {
            throw new PropertyValueInvalid("no value given", 0, op, dataset, property, null);
        }
        if (value.indexOf('\0') >= 0) {
            throw new PropertyValueInvalid("the value contains a NUL character", 0, op, dataset, property, value);
        }
        if (value.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > ZfsProperties.MAX_USER_VALUE) {
            throw new PropertyValueInvalid("the value is longer than " + ZfsProperties.MAX_USER_VALUE + " bytes",
                0, op, dataset, property, value.substring(0, 40) + "...");
        }
    }
}
