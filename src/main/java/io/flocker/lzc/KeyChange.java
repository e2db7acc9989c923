package io.flocker.lzc;

/** How {@link LibZfsCore#changeKey} changes a wrapping key: the kernel's dcp_cmd_t. */
public enum KeyChange {
    /** Rewrap with a new key; the dataset becomes an encryption root. */
    NEW_KEY(2),
    /** Rewrap with the parent's key; the dataset stops being an encryption root. */
    INHERIT(3),
    /** Become an encryption root without rewrapping (the key must already be loaded). */
    FORCE_NEW_KEY(4),
    /** Inherit the parent's key without rewrapping. */
    FORCE_INHERIT(5);

    final int code;

    KeyChange(int code) {
        this.code = code;
    }
}
