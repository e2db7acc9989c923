package io.flocker.volume;

import java.nio.file.Path;
import java.util.UUID;

/**
 * A volume as this node sees it.
 *
 * @param owner the UUID of the node that owns it
 * @param name its name
 * @param mountPath where containers see it (the data container's bind); null for a
 *     volume made outside flocker-volume that recorded none
 * @param dataset the ZFS dataset, {@code <pool>/<uuid>.<name>}
 * @param mountpoint where the dataset is mounted on this machine; null if it has none
 * @param owned whether this node owns it (and so may write and destroy it)
 * @param readOnly whether the storage refuses writes; volumes of other nodes are
 * @param used bytes used, snapshots included
 */
public record Volume(UUID owner, VolumeName name, Path mountPath, String dataset, Path mountpoint, boolean owned,
                     boolean readOnly, long used) {

    /** Owner and name. */
    public VolumeId id() {
        return new VolumeId(owner, name);
    }

    static Volume of(Filesystem fs, UUID node) {
        return new Volume(fs.id().owner(), fs.id().name(), fs.mountPath(), fs.dataset(), fs.mountpoint(),
            fs.id().owner().equals(node), fs.readOnly(), fs.used());
    }
}
