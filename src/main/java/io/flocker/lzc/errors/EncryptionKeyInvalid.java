package io.flocker.lzc.errors;

/** The key given does not unlock the dataset. */
public class EncryptionKeyInvalid extends ZfsException {
    private static final long serialVersionUID = 1L;

    public EncryptionKeyInvalid(int errno, String operation, String... names) {
        this("wrong encryption key", errno, operation, names);
    }

    public EncryptionKeyInvalid(String reason, int errno, String operation, String... names) {
        super(reason, errno, operation, names);
    }
}
