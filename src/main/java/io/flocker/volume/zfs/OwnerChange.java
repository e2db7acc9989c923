package io.flocker.volume.zfs;

import io.flocker.lzc.LibZfs;
import io.flocker.lzc.LibZfsCore;
import io.flocker.lzc.ZfsMounts;
import io.flocker.lzc.errors.DatasetBusy;
import io.flocker.lzc.errors.ZfsException;
import io.flocker.volume.FailPoints;
import io.flocker.volume.Filesystem;
import io.flocker.volume.VolumeBusy;
import io.flocker.volume.VolumeException;
import io.flocker.volume.VolumeExists;
import io.flocker.volume.VolumeId;
import io.flocker.volume.VolumeNotFound;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Gives a volume's dataset another owner's name: lzc_rename, the one commit
 * point, so the dataset keeps its guid, snapshots, bookmarks, user and local
 * properties (quota, compression, recordsize...) and data; readonly and the
 * mountpoint (which the name gives) are set through libzfs around it.
 *
 * <p>The order makes every state between two steps one that {@link
 * ZfsStoragePool#repair} recognises and puts right, and never has a
 * writable dataset under another node's name:
 * <ol>
 * <li>readonly=on first when the new owner is another node (release), so
 *     writes stop while the name is still ours; a kill here leaves our own
 *     name read-only, which repair makes writable again. That is safe: the
 *     other node takes over only when told after this whole call returned.
 * <li>unmount (refused, and undone, when the volume is in use);
 * <li>the epoch raised by one on the old name (a kill before the rename
 *     leaves it counted once too often, which only ever orders later);
 * <li>the rename: from here on the new owner's name is the truth;
 * <li>mountpoint from the new name and readonly as asked (off only now, when
 *     the name is ours), in one libzfs call;
 * <li>mount (libzfs may have mounted it already when the mountpoint changed).
 * </ol>
 */
final class OwnerChange {
    private OwnerChange() {}

    static Filesystem run(LibZfsCore lzc, LibZfs libzfs, ZfsStoragePool pool, String fromDs, String toDs,
                          Path toMountpoint, VolumeId from, VolumeId to, boolean readOnly) {
        String what = "move volume " + VolumeException.quote(from.name().value()) + " from node " + from.owner()
            + " to node " + to.owner();
        if (!lzc.exists(fromDs)) throw new VolumeNotFound(from);
        if (lzc.exists(toDs)) throw new VolumeExists(to);
        Filesystem before = pool.get(from).orElseThrow(() -> new VolumeNotFound(from));
        boolean madeReadOnly = false;
        if (readOnly && !before.readOnly()) {
            libzfs.setProperty(fromDs, "readonly", "on");
            madeReadOnly = true;
        }
        Path mounted = ZfsMounts.mountpointOf(fromDs);
        try {
            if (mounted != null) {
                ZfsMounts.unmount(mounted, false);
                FailPoints.step("unmount.after");
            }
            VolumeMarks.set(lzc, pool.name(), fromDs, VolumeMarks.EPOCH, Long.toString(pool.epoch(from) + 1));
            FailPoints.step("rename.before");
            lzc.rename(fromDs, toDs);
        } catch (RuntimeException e) {
            undo(libzfs, fromDs, mounted, madeReadOnly, before.readOnly(), e);
            if (e instanceof DatasetBusy) {
                throw new VolumeBusy("cannot " + what + ": it is in use at " + mounted
                    + " (files or working directories open there)", e);
            }
            if (e instanceof ZfsException z) throw ZfsErrors.translate(what, z);
            throw e;
        }
        FailPoints.step("rename.after");
        // Committed: whatever fails from here on, repair finishes it (the error says so).
        try {
            Map<String, String> props = new LinkedHashMap<>();
            props.put("mountpoint", toMountpoint.toString());
            props.put("readonly", readOnly ? "on" : "off");
            libzfs.setProperties(toDs, props);
            FailPoints.step("properties.after");
            if (ZfsMounts.mountpointOf(toDs) == null) ZfsMounts.mount(toDs, toMountpoint, readOnly);
            FailPoints.step("mount.after");
        } catch (ZfsException e) {
            throw ZfsErrors.translate(what + " (done: the volume is node " + to.owner() + "'s; setting it up at "
                + toMountpoint + " failed, 'flocker-volume repair " + to.name().value() + "' finishes it)", e);
        }
        ZfsStoragePool.removeEmptyDirectory(mounted);
        ZfsStoragePool.removeEmptyDirectory(before.mountpoint());
        return pool.get(to).orElseThrow(() -> new VolumeNotFound(to));
    }

    private static void undo(LibZfs libzfs, String fromDs, Path mounted, boolean madeReadOnly, boolean wasReadOnly,
                             Exception cause) {
        try {
            if (mounted != null && ZfsMounts.mountpointOf(fromDs) == null) ZfsMounts.mount(fromDs, mounted, wasReadOnly);
            if (madeReadOnly) libzfs.setProperty(fromDs, "readonly", "off");
        } catch (RuntimeException e) {
            cause.addSuppressed(e);
        }
    }
}
