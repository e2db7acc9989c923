package io.flocker.lzc.errors;

/** The dataset's key must be loaded first. */
public class EncryptionKeyNotLoaded extends ZfsException {
    private static final long serialVersionUID = 1L;

    public EncryptionKeyNotLoaded(int errno, String operation, String... names) {
        this("the encryption key is not loaded", errno, operation, names);
    }

    public EncryptionKeyNotLoaded(String reason, int errno, String operation, String... names) {
        super(reason, errno, operation, names);
    }
}
