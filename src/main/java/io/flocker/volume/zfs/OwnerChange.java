package io.flocker.volume.zfs;

import io.flocker.lzc.DatasetInfo;
import io.flocker.lzc.LibZfsCore;
import io.flocker.lzc.ZfsMounts;
import io.flocker.lzc.errors.DatasetBusy;
import io.flocker.lzc.errors.ZfsException;
import io.flocker.volume.Filesystem;
import io.flocker.volume.VolumeBusy;
import io.flocker.volume.VolumeException;
import io.flocker.volume.VolumeExists;
import io.flocker.volume.VolumeId;
import io.flocker.volume.VolumeNotFound;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Gives a volume's dataset another owner's name and another readonly value,
 * with nothing but libzfs_core. Renaming is easy, but readonly is a native
 * property, which libzfs_core sets only when a dataset is made. So: snapshot
 * the dataset, clone the snapshot under the new name with the new
 * properties, promote the clone (every snapshot, with its guid, moves to it,
 * so later incremental pushes still find their base), and destroy the old
 * dataset, which is then an empty clone. Each step before the destroy is
 * undone if a later one fails.
 */
final class OwnerChange {
    private OwnerChange() {}

    static Filesystem run(LibZfsCore lzc, ZfsStoragePool pool, String fromDs, String toDs, Path toMountpoint,
                          VolumeId from, VolumeId to, boolean readOnly) {
        String what = "move volume " + VolumeException.quote(from.name().value()) + " from node " + from.owner()
            + " to node " + to.owner();
        if (!lzc.exists(fromDs)) throw new VolumeNotFound(from);
        if (lzc.exists(toDs)) throw new VolumeExists(to);
        DatasetInfo info = lzc.get(fromDs);
        Path mounted = ZfsMounts.mountpointOf(fromDs);
        if (mounted != null) {
            try {
                ZfsMounts.unmount(mounted, false);
            } catch (DatasetBusy e) {
                throw new VolumeBusy("cannot " + what + ": it is in use at " + mounted, e);
            }
        }
        String snap = fromDs + "@flocker-owner-" + System.currentTimeMillis();
        boolean cloned = false;
        try {
            lzc.snapshot(snap);
            Map<String, Object> props = new LinkedHashMap<>();
            props.put("readonly", readOnly ? "on" : "off");
            props.put("mountpoint", toMountpoint.toString());
            String mountPath = info.userProperties().get(ZfsStoragePool.MOUNT_PATH_PROPERTY);
            if (mountPath != null) props.put(ZfsStoragePool.MOUNT_PATH_PROPERTY, mountPath);
            lzc.clone(toDs, snap, props);
            cloned = true;
            lzc.promote(toDs);
        } catch (ZfsException e) {
            undo(lzc, cloned ? toDs : null, snap, fromDs, mounted, info.readonly(), e);
            throw ZfsErrors.translate(what, e);
        }
        // From here on the new dataset holds everything; the old one is an empty clone of it.
        String movedSnap = toDs + snap.substring(snap.indexOf('@'));
        try {
            lzc.destroy(fromDs);
            lzc.destroySnapshots(List.of(movedSnap), false);
        } catch (ZfsException e) {
            throw ZfsErrors.translate(what + " (the new dataset " + toDs + " is complete; removing the old one failed)", e);
        }
        removeEmptyDirectory(mounted);
        try {
            ZfsMounts.mount(toDs, toMountpoint, readOnly);
        } catch (ZfsException e) {
            throw ZfsErrors.translate(what + " (done, but mounting it at " + toMountpoint + " failed)", e);
        }
        return pool.get(to).orElseThrow(() -> new VolumeNotFound(to));
    }

    private static void undo(LibZfsCore lzc, String clone, String snap, String fromDs, Path mounted, boolean readOnly,
                             ZfsException cause) {
        try {
            if (clone != null && lzc.exists(clone)) lzc.destroy(clone);
            if (lzc.exists(snap)) lzc.destroySnapshots(List.of(snap), false);
            if (mounted != null) ZfsMounts.mount(fromDs, mounted, readOnly);
        } catch (RuntimeException e) {
            cause.addSuppressed(e);
        }
    }

    private static void removeEmptyDirectory(Path dir) {
        if (dir == null) return;
        try {
            Files.deleteIfExists(dir);
        } catch (Exception ignored) {
            // not empty, or not ours to remove
        }
    }
}
