package io.flocker.volume;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Where volumes are stored: one file system per volume, keyed by {@link
 * VolumeId}. The volume manager reaches storage only through this interface;
 * {@code io.flocker.volume.zfs} implements it on ZFS through libzfs_core,
 * {@code io.flocker.volume.memory} in memory for unit tests, and one contract
 * test suite holds both to the same behaviour.
 *
 * <p>Every method either does all of what it says or changes nothing, and
 * reports failures as {@link VolumeException}s: {@link VolumeExists}, {@link
 * VolumeNotFound}, {@link VolumeBusy}, {@link SnapshotExists}, {@link
 * StorageUnavailable}, {@link StorageException}. Implementations are safe to
 * use from several threads.
 *
 * <p>Moving volumes between nodes (push, receive, acquire) builds on this:
 * {@link #snapshot} and {@link #snapshots} are the sending side's and the
 * receiving side's view of what they share, and {@code create(id, path, true)}
 * makes the read-only copy a receiver holds. The stream and ownership calls
 * themselves come with that work.
 */
public interface StoragePool {
    /** The pool's name; it limits how long volume names may be ({@link VolumeName#maxLength}). */
    String name();

    /**
     * Makes the file system of volume {@code id}, mounted, with {@code
     * mountPath} recorded so that it survives restarts.
     *
     * @param readOnly make it refuse writes: the copy of another node's volume
     * @throws VolumeExists when {@code id} has a file system already
     */
    Filesystem create(VolumeId id, Path mountPath, boolean readOnly);

    /** The file system of {@code id}, or empty. */
    Optional<Filesystem> get(VolumeId id);

    /** Every volume's file system in the pool, whoever owns it; other datasets are left out. */
    List<Filesystem> list();

    /**
     * Unmounts and destroys the file system of {@code id} and its snapshots.
     *
     * @throws VolumeNotFound when there is none
     * @throws VolumeBusy when it is in use; it is then left as it was
     */
    void destroy(VolumeId id);

    /**
     * Takes a snapshot of the volume's file system.
     *
     * @param snapshot the name after '@', checked by {@link VolumeName#checkSnapshotName}
     * @throws VolumeNotFound when there is no such volume
     * @throws SnapshotExists when it has a snapshot of that name
     */
    void snapshot(VolumeId id, String snapshot);

    /**
     * The names of the volume's snapshots (after '@'), oldest first.
     *
     * @throws VolumeNotFound when there is no such volume
     */
    List<String> snapshots(VolumeId id);
}
