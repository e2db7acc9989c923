package io.flocker.volume;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongConsumer;

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
 * <p>Moving volumes between nodes (push, receive, handoff) uses the stream
 * calls: {@link #send} and {@link #receive} move a snapshot, {@link
 * #resumeToken} and {@link #sendResume} finish a stream that broke off, and
 * {@link #changeOwner} moves a volume from one owner's name to another's.
 *
 * <p>Docker's volume plugin builds on {@link #create(VolumeId, Path, boolean,
 * VolumeProperties)} (storage properties, no mount path) and on the
 * volume's users ({@link #addUser}, {@link #removeUser}, {@link #users}),
 * which are recorded with the volume, so that they outlive the process that
 * recorded them. Those calls have defaults that refuse, so that a pool
 * written before them still compiles; both pools here implement them.
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

    /**
     * Like {@link #create(VolumeId, Path, boolean)}, with storage properties
     * set from the start, and with no mount path recorded when {@code
     * mountPath} is null (a volume that containers reach through Docker's
     * volume plugin, not through a data container).
     *
     * @throws VolumeExists when {@code id} has a file system already
     */
    default Filesystem create(VolumeId id, Path mountPath, boolean readOnly, VolumeProperties properties) {
        if (mountPath != null && properties.isEmpty()) return create(id, mountPath, readOnly);
        throw new StorageException("storage pool " + VolumeException.quote(name())
            + " cannot create volumes with properties or without a mount path", null);
    }

    /**
     * The storage properties set on the volume itself ({@link
     * VolumeProperties#NAMES}), in their normal form; those it inherits or
     * has by default are left out.
     *
     * @throws VolumeNotFound when there is no such volume
     */
    default VolumeProperties properties(VolumeId id) {
        get(id).orElseThrow(() -> new VolumeNotFound(id));
        return VolumeProperties.NONE;
    }

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

    // ---- moving volumes between nodes -------------------------------------

    /**
     * Destroys the named snapshots of the volume, all or none; names it does
     * not have are skipped.
     *
     * @throws VolumeNotFound when there is no such volume
     * @throws VolumeBusy when one of them is held or cloned
     */
    void destroySnapshots(VolumeId id, List<String> snapshots);

    /**
     * The estimated size in bytes of the stream {@link #send} would write.
     *
     * @param from the snapshot an incremental stream starts from, {@code "#"} and a
     *     bookmark's name to start from that bookmark, or null for a full one
     */
    long estimateSend(VolumeId id, String snapshot, String from);

    /**
     * Writes a send stream of the volume's {@code snapshot} to {@code out}
     * (incremental from {@code from} when it is not null), through a buffer
     * of fixed size: the stream never sits in memory whole. {@code from} is
     * as for {@link #estimateSend}. Blocks until it
     * is written. Does not close {@code out}.
     *
     * @param progress told the number of bytes written so far, as they go
     * @return the number of bytes written
     * @throws StreamBroken when {@code out} fails (the other side stopped reading)
     */
    long send(VolumeId id, String snapshot, String from, OutputStream out, LongConsumer progress);

    /**
     * The snapshot of this volume (its short name) that a receiver's resume
     * token ({@link #resumeToken}) continues, once the token is checked
     * against what this pool holds: the snapshot must be this volume's, with
     * the GUID the token says; the stream's start one of its snapshots or
     * bookmarks, by GUID; its flags ones this pool sends with. The token
     * comes from the other node: anything else is refused.
     *
     * @throws StreamRefused when the token fails any of these checks
     */
    String resumedSnapshot(VolumeId id, String resumeToken);

    /**
     * Writes the rest of a stream whose start a receiver already has, from
     * the receiver's resume token, checked as {@link #resumedSnapshot} does.
     *
     * @throws StreamRefused when the token fails those checks
     */
    long sendResume(VolumeId id, String resumeToken, OutputStream out, LongConsumer progress);

    /**
     * Reads a send stream from {@code in} into the volume's file system: a
     * full stream makes the read-only copy of another node's volume, an
     * incremental one adds the next snapshot to it. The copy is mounted
     * read-only. A stream that breaks off leaves the volume as it was, plus
     * a partial state that {@link #resumeToken} names, so the sender can
     * continue instead of starting over; a stream that is not a send stream,
     * or does not fit the copy, changes nothing.
     *
     * @param mountPath where containers would see the volume, recorded with it
     * @return the snapshot the stream made
     * @throws StreamRefused when the stream is bad, truncated or does not fit
     */
    String receive(VolumeId id, Path mountPath, InputStream in);

    /** The token of a partially received stream for the volume, if one is waiting. */
    Optional<String> resumeToken(VolumeId id);

    /**
     * Moves the volume to another owner by renaming its file system: {@code
     * to} is the same file system (same guid, snapshots, bookmarks, local and
     * user properties and data) under the other owner's name, read-only or
     * writable as asked, mounted at the mountpoint its new name gives, and
     * with its {@linkplain #epoch epoch} one higher; {@code from} is gone.
     *
     * <p>The rename is the one commit point. Before it, the volume is still
     * {@code from} (unmounted, perhaps with its epoch raised); after it, it
     * is {@code to}, perhaps still read-only, with a stale mountpoint, or
     * unmounted. {@link #repair} puts either right, so a process killed
     * anywhere leaves a state the next command finishes.
     *
     * @throws VolumeNotFound when {@code from} does not exist
     * @throws VolumeExists when {@code to} exists already
     * @throws VolumeBusy when {@code from} is in use and cannot be unmounted; it is then as it was
     */
    Filesystem changeOwner(VolumeId from, VolumeId to, boolean readOnly);

    /**
     * Sets or clears {@code readonly} on the volume's file system itself, as
     * the storage's own property: every mount of it, in every mount
     * namespace and through every bind mount, refuses writes (EROFS) from
     * the moment this returns. It stays mounted.
     *
     * @return false when it already was so
     * @throws VolumeNotFound when there is no such volume
     */
    boolean setReadOnly(VolumeId id, boolean readOnly);

    /**
     * How many owner changes the volume has seen, as far as this copy knows
     * (the user property {@code io.flocker:epoch}); 0 for one never moved.
     *
     * @throws VolumeNotFound when there is no such volume
     */
    long epoch(VolumeId id);

    /**
     * Records the epoch of the volume, e.g. the one its owner said when it
     * pushed this copy.
     *
     * @throws VolumeNotFound when there is no such volume
     */
    void setEpoch(VolumeId id, long epoch);

    /**
     * The operation in progress on the volume that has not finished yet
     * ({@code io.flocker:pending}, e.g. "create" or "destroy"), or null: a
     * mark set at the start of an operation whose steps span storage and
     * Docker, and cleared at its end, so that repair knows what a process
     * killed half-way was doing.
     *
     * @throws VolumeNotFound when there is no such volume
     */
    String pending(VolumeId id);

    /**
     * Sets (or, with null, clears) the {@linkplain #pending pending} mark.
     *
     * @throws VolumeNotFound when there is no such volume
     */
    void setPending(VolumeId id, String operation);

    /** Whether the volume's file system is mounted; false when there is no such volume. */
    boolean isMounted(VolumeId id);

    /**
     * Puts the storage of one volume right after whatever interrupted it:
     * {@code readonly} as {@code writable} says (the caller derives it from
     * the name), the mountpoint the name gives, mounted (unless it is a
     * first receive still waiting for the rest of its stream). Changes
     * nothing that is right already.
     *
     * @return one line per action taken, empty when all was right
     * @throws VolumeNotFound when there is no such volume
     */
    List<String> repair(VolumeId id, boolean writable);

    /** Unmounts the volume, so nothing writes to it; false when it was not mounted. */
    boolean unmount(VolumeId id);

    /** Mounts the volume where it belongs (read-only for read-only volumes); false when it already was. */
    boolean mount(VolumeId id);

    // ---- tags and bookmarks: what push keeps per destination ---------------

    /**
     * Takes a snapshot with user properties set on it ({@code module:name}
     * to value) in the same step: the snapshot never exists without them.
     *
     * @throws VolumeNotFound when there is no such volume
     * @throws SnapshotExists when it has a snapshot of that name
     * @throws VolumeException naming a property that is not a user property
     */
    default void snapshot(VolumeId id, String snapshot, Map<String, String> userProperties) {
        if (userProperties.isEmpty()) {
            snapshot(id, snapshot);
            return;
        }
        throw tagsUnsupported();
    }

    /**
     * The volume's snapshots that have user property {@code property}, oldest
     * first, to its value.
     *
     * @throws VolumeNotFound when there is no such volume
     */
    default Map<String, String> taggedSnapshots(VolumeId id, String property) {
        throw tagsUnsupported();
    }

    /**
     * Sets user property {@code property} on an existing snapshot of the
     * volume (received snapshots do not bring the sender's along).
     *
     * @throws VolumeNotFound when there is no such volume or snapshot
     */
    default void tagSnapshot(VolumeId id, String snapshot, String property, String value) {
        throw tagsUnsupported();
    }

    /**
     * The volume's snapshots, oldest first, to their GUIDs: a snapshot keeps
     * its GUID through send and receive, so the two sides can tell which of
     * theirs are one.
     *
     * @throws VolumeNotFound when there is no such volume
     */
    default Map<String, Long> snapshotGuids(VolumeId id) {
        throw tagsUnsupported();
    }

    /**
     * Makes bookmark {@code bookmark} of the volume's {@code snapshot}: it
     * outlives the snapshot, and an incremental {@link #send} can start from
     * it ({@code from} = {@code "#" + bookmark}).
     *
     * @throws VolumeNotFound when there is no such volume or snapshot
     * @throws SnapshotExists when a bookmark of that name exists
     */
    default void bookmark(VolumeId id, String snapshot, String bookmark) {
        throw tagsUnsupported();
    }

    /**
     * The volume's bookmarks, oldest first, to the GUID of the snapshot each
     * marks; they go with the volume when it is destroyed.
     *
     * @throws VolumeNotFound when there is no such volume
     */
    default Map<String, Long> bookmarks(VolumeId id) {
        throw tagsUnsupported();
    }

    /**
     * Destroys the named bookmarks of the volume; names it does not have are
     * skipped.
     *
     * @throws VolumeNotFound when there is no such volume
     */
    default void destroyBookmarks(VolumeId id, List<String> bookmarks) {
        throw tagsUnsupported();
    }

    private StorageException tagsUnsupported() {
        return new StorageException("storage pool " + VolumeException.quote(name())
            + " cannot tag snapshots or keep bookmarks", null);
    }

    // ---- users: who has the volume mounted (Docker's volume plugin) -------

    /**
     * Records that {@code user} (a caller's ID, any text) uses the volume, in
     * one step; recording a user twice records it once.
     *
     * @return how many users the volume has now
     * @throws VolumeNotFound when there is no such volume
     */
    default int addUser(VolumeId id, String user) {
        throw usersUnsupported();
    }

    /**
     * Forgets that {@code user} uses the volume, in one step; a user that was
     * not recorded is no error.
     *
     * @return how many users the volume has now
     * @throws VolumeNotFound when there is no such volume
     */
    default int removeUser(VolumeId id, String user) {
        throw usersUnsupported();
    }

    /**
     * The users recorded for the volume; a volume made again under the same
     * name starts with none.
     *
     * @throws VolumeNotFound when there is no such volume
     */
    default Set<String> users(VolumeId id) {
        throw usersUnsupported();
    }

    private StorageException usersUnsupported() {
        return new StorageException("storage pool " + VolumeException.quote(name()) + " cannot record volume users", null);
    }
}
