package io.flocker.lzc.errors;

/** A device in the pool is too big for a checkpoint. */
public class DeviceTooBig extends ZfsException {
    private static final long serialVersionUID = 1L;

    public DeviceTooBig(int errno, String operation, String... names) {
        this("a device is too big for a checkpoint", errno, operation, names);
    }

    public DeviceTooBig(String reason, int errno, String operation, String... names) {
        super(reason, errno, operation, names);
    }
}
