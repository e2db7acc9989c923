package io.flocker.volume.zfs;

import io.flocker.lzc.errors.DatasetBusy;
import io.flocker.lzc.errors.NoSpace;
import io.flocker.lzc.errors.PermissionDenied;
import io.flocker.lzc.errors.QuotaExceeded;
import io.flocker.lzc.errors.ReadOnlyPool;
import io.flocker.lzc.errors.SuspendedPool;
import io.flocker.lzc.errors.ZfsException;
import io.flocker.lzc.errors.ZfsUnavailable;
import io.flocker.volume.StorageException;
import io.flocker.volume.StorageUnavailable;
import io.flocker.volume.VolumeBusy;
import io.flocker.volume.VolumeException;

/**
 * The binding's errors in the volume manager's words. The binding's own
 * message (call, names, reason, errno) follows as the detail, so nothing the
 * kernel said is lost.
 */
final class ZfsErrors {
    private ZfsErrors() {}

    static VolumeException translate(String what, ZfsException e) {
        String detail = e.getMessage();
        if (e instanceof ZfsUnavailable) return new StorageUnavailable(e.reason(), e);
        if (e instanceof PermissionDenied) {
            return new StorageUnavailable("cannot " + what + ": permission denied (ZFS needs root): " + detail, e);
        }
        if (e instanceof DatasetBusy) return new VolumeBusy("cannot " + what + ": it is in use: " + detail, e);
        if (e instanceof NoSpace || e instanceof QuotaExceeded) {
            return new StorageException("cannot " + what + ": the pool is full: " + detail, e);
        }
        if (e instanceof ReadOnlyPool || e instanceof SuspendedPool) {
            return new StorageUnavailable("cannot " + what + ": the pool cannot be written: " + detail, e);
        }
        return new StorageException("cannot " + what + ": " + detail, e);
    }
}
