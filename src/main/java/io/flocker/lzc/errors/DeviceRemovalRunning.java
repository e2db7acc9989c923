package io.flocker.lzc.errors;

/** A device is being removed from the pool. */
public class DeviceRemovalRunning extends ZfsException {
    private static final long serialVersionUID = 1L;

    public DeviceRemovalRunning(int errno, String operation, String... names) {
        this("a device removal is in progress", errno, operation, names);
    }

    public DeviceRemovalRunning(String reason, int errno, String operation, String... names) {
        super(reason, errno, operation, names);
    }
}
