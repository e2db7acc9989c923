package io.flocker.lzc.errors;

/** The dataset's key is loaded already. */
public class EncryptionKeyAlreadyLoaded extends ZfsException {
    private static final long serialVersionUID = 1L;

    public EncryptionKeyAlreadyLoaded(int errno, String operation, String... names) {
        this("the encryption key is already loaded", errno, operation, names);
    }

    public EncryptionKeyAlreadyLoaded(String reason, int errno, String operation, String... names) {
        super(reason, errno, operation, names);
    }
}
