package io.flocker.volume;

/**
 * The storage cannot be reached at all: no ZFS in this kernel, no permission
 * to use it, or no such pool.
 */
public class StorageUnavailable extends VolumeException {
    private static final long serialVersionUID = 1L;

    public StorageUnavailable(String message, Throwable cause) {
        super(message, cause);
    }
}
