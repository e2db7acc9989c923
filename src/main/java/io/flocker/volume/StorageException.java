package io.flocker.volume;

/** The storage refused or failed an operation for a reason no other type names. */
public class StorageException extends VolumeException {
    private static final long serialVersionUID = 1L;

    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
