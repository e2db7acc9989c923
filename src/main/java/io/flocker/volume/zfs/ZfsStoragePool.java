package io.flocker.volume.zfs;

import io.flocker.lzc.DatasetInfo;
import io.flocker.lzc.DatasetType;
import io.flocker.lzc.LibZfs;
import io.flocker.lzc.LibZfsCore;
import io.flocker.lzc.ReceiveOptions;
import io.flocker.lzc.ResumeToken;
import io.flocker.lzc.SendFlag;
import io.flocker.lzc.StreamHeader;
import io.flocker.lzc.ZfsMounts;
import io.flocker.lzc.ZfsNames;
import io.flocker.lzc.errors.DatasetBusy;
import io.flocker.lzc.errors.DatasetNotFound;
import io.flocker.lzc.errors.FilesystemExists;
import io.flocker.lzc.errors.MultipleOperationsFailure;
import io.flocker.lzc.errors.ParentNotFound;
import io.flocker.lzc.errors.PoolNotFound;
import io.flocker.lzc.errors.ZcpRuntimeError;
import io.flocker.lzc.errors.ZfsException;
import io.flocker.lzc.errors.ZfsUnavailable;
import io.flocker.volume.FailPoints;
import io.flocker.volume.Filesystem;
import io.flocker.volume.SnapshotExists;
import io.flocker.volume.StorageException;
import io.flocker.volume.StoragePool;
import io.flocker.volume.StorageUnavailable;
import io.flocker.volume.StreamRefused;
import io.flocker.volume.VolumeBusy;
import io.flocker.volume.VolumeException;
import io.flocker.volume.VolumeExists;
import io.flocker.volume.VolumeId;
import io.flocker.volume.VolumeName;
import io.flocker.volume.VolumeNotFound;
import io.flocker.volume.VolumeProperties;
import io.flocker.volume.usage.MountTable;
import io.flocker.volume.usage.NamespaceMount;
import io.flocker.volume.usage.ProcMountTable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link StoragePool} on a ZFS pool, through libzfs_core: no {@code zfs}
 * process is forked. Volume {@code <uuid>.<name>} is the file system {@code
 * <pool>/<uuid>.<name>}, mounted with mount(2) at {@code
 * <mountroot>/<uuid>.<name>}.
 *
 * <p>What must survive a restart lives in the dataset itself: the
 * mountpoint property (so the system's own {@code zfs mount -a} mounts it at
 * boot in the same place), {@code readonly} for volumes of other nodes, and
 * the container mount path in the user property {@value #MOUNT_PATH_PROPERTY}.
 * Listing reads all of it in one channel program ({@link VolumeLister}).
 * The users Docker's volume plugin records are user properties too ({@link
 * VolumeUsers}).
 *
 * <p>Safe to share between threads: libzfs_core calls are, and the one
 * libzfs handle it opens when first needed serializes its own calls. It
 * keeps nothing about volumes between calls, so several instances (and
 * processes) on one pool see the same volumes; {@link io.flocker.volume.VolumeService}
 * keeps their operations on one volume apart.
 */
public final class ZfsStoragePool implements StoragePool {
    private static final Logger LOG = LoggerFactory.getLogger(ZfsStoragePool.class);
    /** The user property that records a volume's mount path (where containers see it). */
    public static final String MOUNT_PATH_PROPERTY = "io.flocker:mount_path";

    private final LibZfsCore lzc;
    private final String pool;
    private final Path mountRoot;
    private final MountTable mounts;
    // libzfs is opened when a native property is first set: a receiver never needs it.
    private LibZfs libzfs;

    private ZfsStoragePool(LibZfsCore lzc, String pool, Path mountRoot, MountTable mounts) {
        this.lzc = lzc;
        this.pool = pool;
        this.mountRoot = mountRoot;
        this.mounts = mounts;
    }

    /**
     * The pool {@code pool}, its volumes mounted under {@code mountRoot}.
     *
     * @throws StorageUnavailable when ZFS cannot be used here (no /dev/zfs, no
     *     libzfs_core) or there is no such pool
     * @throws VolumeException when the pool name or mount root cannot be one
     */
    public static ZfsStoragePool open(String pool, Path mountRoot) {
        return open(pool, mountRoot, ProcMountTable.system());
    }

    /**
     * Like {@link #open(String, Path)}, seeing the mounts of other mount
     * namespaces through {@code mounts} (destroy checks them).
     */
    public static ZfsStoragePool open(String pool, Path mountRoot, MountTable mounts) {
        if (mountRoot == null || !mountRoot.isAbsolute()) {
            throw new VolumeException("mount root " + VolumeException.quote(String.valueOf(mountRoot))
                + " must be an absolute path");
        }
        String why = poolNameProblem(pool);
        if (why != null) throw new VolumeException("invalid pool name " + VolumeException.quote(pool) + ": " + why);
        LibZfsCore lzc;
        try {
            lzc = LibZfsCore.open();
        } catch (ZfsUnavailable e) {
            throw new StorageUnavailable(e.reason(), e);
        } catch (LinkageError e) {
            throw new StorageUnavailable(e.getMessage(), e);
        }
        if (!lzc.exists(pool)) {
            throw new StorageUnavailable("ZFS pool " + VolumeException.quote(pool)
                + " does not exist (zpool list shows the imported pools; --pool chooses another)", null);
        }
        return new ZfsStoragePool(lzc, pool, mountRoot.normalize(), java.util.Objects.requireNonNull(mounts, "mounts"));
    }

    private static String poolNameProblem(String pool) {
        try {
            ZfsNames.checkPool("open", pool);
            return null;
        } catch (ZfsException e) {
            return e.reason();
        }
    }

    @Override
    public String name() {
        return pool;
    }

    /** Where volumes are mounted. */
    public Path mountRoot() {
        return mountRoot;
    }

    private String dataset(VolumeId id) {
        return pool + "/" + id.key();
    }

    @Override
    public Filesystem create(VolumeId id, Path mountPath, boolean readOnly) {
        return create(id, Objects.requireNonNull(mountPath, "mountPath"), readOnly, VolumeProperties.NONE);
    }

    @Override
    public Filesystem create(VolumeId id, Path mountPath, boolean readOnly, VolumeProperties properties) {
        String ds = dataset(id);
        Path mountpoint = mountRoot.resolve(id.key());
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("mountpoint", mountpoint.toString());
        if (mountPath != null) props.put(MOUNT_PATH_PROPERTY, mountPath.toString());
        if (readOnly) props.put("readonly", "on");
        for (String name : VolumeProperties.NAMES) {
            Long bytes = properties.bytes(name);
            String value = properties.get(name);
            if (value != null) props.put(name, bytes != null ? bytes : value);
        }
        try {
            lzc.create(ds, DatasetType.FILESYSTEM, props);
        } catch (FilesystemExists e) {
            throw new VolumeExists(id);
        } catch (ParentNotFound e) {
            throw poolGone(e);
        } catch (ZfsException e) {
            throw ZfsErrors.translate("create volume " + VolumeException.quote(id.name().value()), e);
        }
        FailPoints.step("dataset.after");
        try {
            MountPlaceholder.clear(mountpoint);
            ZfsMounts.mount(ds, mountpoint, readOnly);
            FailPoints.step("mount.after");
            return get(id).orElseThrow(() -> new VolumeNotFound(id));
        } catch (RuntimeException e) {
            // Nothing half-made stays: a dataset that cannot be mounted goes again.
            try {
                ZfsMounts.unmount(mountpoint, false);
                lzc.destroy(ds);
            } catch (RuntimeException undo) {
                e.addSuppressed(undo);
            }
            removeEmptyDirectory(mountpoint);
            if (!(e instanceof ZfsException z)) throw e;
            VolumeException v = ZfsErrors.translate("mount volume " + VolumeException.quote(id.name().value())
                + " at " + mountpoint, z);
            for (Throwable s : z.getSuppressed()) v.addSuppressed(s);
            throw v;
        }
    }

    @Override
    public Optional<Filesystem> get(VolumeId id) {
        String ds = dataset(id);
        try {
            if (!lzc.exists(ds)) return Optional.empty();
            VolumeLister.Props p = VolumeLister.one(lzc, pool, ds).get(ds);
            return p == null ? Optional.empty() : Optional.of(describe(id, ds, p));
        } catch (ZcpRuntimeError e) {
            // destroyed between the two calls
            if (!lzc.exists(ds)) return Optional.empty();
            throw ZfsErrors.translate("read volume " + VolumeException.quote(id.name().value()), e);
        } catch (ZfsException e) {
            throw ZfsErrors.translate("read volume " + VolumeException.quote(id.name().value()), e);
        }
    }

    @Override
    public List<Filesystem> list() {
        Map<String, VolumeLister.Props> all;
        try {
            all = VolumeLister.children(lzc, pool);
        } catch (PoolNotFound e) {
            throw poolGone(e);
        } catch (ZfsException e) {
            throw ZfsErrors.translate("list the volumes of pool " + VolumeException.quote(pool), e);
        }
        List<Filesystem> out = new ArrayList<>();
        String prefix = pool + "/";
        all.forEach((ds, p) -> {
            if (ds.startsWith(prefix)) {
                VolumeId.fromKey(ds.substring(prefix.length())).ifPresent(id -> out.add(describe(id, ds, p)));
            }
        });
        return out;
    }

    @Override
    public void destroy(VolumeId id) {
        String ds = dataset(id);
        Filesystem fs = get(id).orElseThrow(() -> new VolumeNotFound(id));
        String what = "destroy volume " + VolumeException.quote(id.name().value());
        Path mounted = ZfsMounts.mountpointOf(ds);
        // ZFS says "busy" for a file system mounted elsewhere only once its snapshots are gone (see
        // DestroyProgram): a mount in another namespace is a user, refused while all is whole. Checked
        // before the unmount (so nothing changes), and after it for one made meanwhile.
        List<NamespaceMount> elsewhere = mountedElsewhere(ds, mounted);
        if (!elsewhere.isEmpty()) throw stillMounted(what, elsewhere);
        if (mounted != null) {
            try {
                ZfsMounts.unmount(mounted, false);
            } catch (DatasetBusy e) {
                throw new VolumeBusy("cannot " + what + ": it is in use at " + mounted
                    + " (files or working directories open there, or a dataset mounted inside it)", e);
            } catch (ZfsException e) {
                throw ZfsErrors.translate(what, e);
            }
            MountPlaceholder.put(mounted);
            FailPoints.step("unmount.after");
        }
        try {
            elsewhere = mounts.mountsOf(ds);
        } catch (RuntimeException e) {
            remount(ds, mounted, fs.readOnly(), e);
            throw e;
        }
        if (!elsewhere.isEmpty()) {
            VolumeBusy busy = stillMounted(what, elsewhere);
            remount(ds, mounted, fs.readOnly(), busy);
            throw busy;
        }
        try {
            DestroyProgram.run(lzc, pool, ds);
        } catch (RuntimeException e) {
            remount(ds, mounted, fs.readOnly(), e);
            if (!(e instanceof ZfsException z)) throw e;
            VolumeException v = ZfsErrors.translate(what, z);
            for (Throwable s : z.getSuppressed()) v.addSuppressed(s);
            throw v;
        }
        MountPlaceholder.clear(mounted);
        if (fs.mountpoint() != null && !fs.mountpoint().equals(mounted)) {
            removeEmptyDirectory(fs.mountpoint());
            MountPlaceholder.clear(fs.mountpoint()); // the volume is gone: nothing stands in its place
        }
    }

    /**
     * The mounts of {@code ds} other than this namespace's at {@code mounted}
     * and the copies an unmount of that one takes along (its peers and slaves).
     */
    private List<NamespaceMount> mountedElsewhere(String ds, Path mounted) {
        List<NamespaceMount> all = mounts.mountsOf(ds);
        if (all.isEmpty()) return all;
        long own = mounts.ownNamespace();
        int group = 0;
        for (NamespaceMount m : all) {
            if (m.namespace() == own && m.root().equals("/") && m.mountpoint().equals(mounted)) group = m.sharedGroup();
        }
        int ownGroup = group;
        return all.stream().filter(m -> !(m.namespace() == own && m.root().equals("/") && m.mountpoint().equals(mounted))
            && !m.follows(ownGroup)).toList();
    }

    private static VolumeBusy stillMounted(String what, List<NamespaceMount> elsewhere) {
        return new VolumeBusy("cannot " + what + ": it is mounted in "
            + elsewhere.stream().map(NamespaceMount::describe).collect(java.util.stream.Collectors.joining("; "))
            + " (nothing was destroyed)", null);
    }

    private static void remount(String ds, Path mounted, boolean readOnly, Exception cause) {
        if (mounted == null) return;
        try {
            MountPlaceholder.clear(mounted);
            ZfsMounts.mount(ds, mounted, readOnly);
        } catch (RuntimeException undo) {
            cause.addSuppressed(undo);
        }
    }

    @Override
    public void snapshot(VolumeId id, String snapshot) {
        snapshot(id, snapshot, Map.of());
    }

    @Override
    public void snapshot(VolumeId id, String snapshot, Map<String, String> userProperties) {
        VolumeName.checkSnapshotName(snapshot);
        for (String p : userProperties.keySet()) checkUserProperty(p);
        String ds = dataset(id);
        if (!lzc.exists(ds)) throw new VolumeNotFound(id);
        try {
            lzc.snapshot(List.of(ds + "@" + snapshot), userProperties);
        } catch (MultipleOperationsFailure e) {
            for (ZfsException one : e.errors()) {
                if (one instanceof io.flocker.lzc.errors.SnapshotExists) throw new SnapshotExists(id, snapshot);
                if (one instanceof DatasetNotFound) throw new VolumeNotFound(id);
            }
            throw ZfsErrors.translate("snapshot volume " + VolumeException.quote(id.name().value()), e);
        } catch (ZfsException e) {
            throw ZfsErrors.translate("snapshot volume " + VolumeException.quote(id.name().value()), e);
        }
    }

    @Override
    public List<String> snapshots(VolumeId id) {
        String ds = dataset(id);
        try {
            if (!lzc.exists(ds)) throw new VolumeNotFound(id);
            List<String> names = new ArrayList<>();
            for (DatasetInfo s : lzc.snapshots(ds)) names.add(s.shortName());
            return names;
        } catch (DatasetNotFound e) {
            throw new VolumeNotFound(id);
        } catch (ZfsException e) {
            throw ZfsErrors.translate("list the snapshots of volume " + VolumeException.quote(id.name().value()), e);
        }
    }

    // ---- tags and bookmarks -------------------------------------------------

    private static void checkUserProperty(String property) {
        if (property == null || !io.flocker.lzc.ZfsProperties.isUserProperty(property)) {
            throw new VolumeException("invalid user property name " + VolumeException.quote(String.valueOf(property))
                + " (module:name, in lower case)");
        }
    }

    @Override
    public Map<String, String> taggedSnapshots(VolumeId id, String property) {
        checkUserProperty(property);
        String ds = existing(id);
        try {
            Map<String, String> byFullName = SnapshotTags.read(lzc, pool, ds, property);
            Map<String, String> out = new LinkedHashMap<>();
            for (DatasetInfo s : lzc.snapshots(ds)) {
                String v = byFullName.get(s.name());
                if (v != null) out.put(s.shortName(), v);
            }
            return out;
        } catch (ZfsException e) {
            throw gone(id, ds, "read the snapshot tags of", e);
        }
    }

    @Override
    public void tagSnapshot(VolumeId id, String snapshot, String property, String value) {
        checkUserProperty(property);
        String ds = existing(id);
        String snap = ds + "@" + snapshot;
        if (!lzc.exists(snap)) throw new VolumeNotFound("volume " + id + " has no snapshot " + snapshot);
        try {
            SnapshotTags.set(lzc, pool, snap, property, Objects.requireNonNull(value, "value"));
        } catch (ZfsException e) {
            throw gone(id, ds, "tag a snapshot of", e);
        }
    }

    @Override
    public Map<String, Long> snapshotGuids(VolumeId id) {
        String ds = existing(id);
        try {
            Map<String, Long> out = new LinkedHashMap<>();
            for (DatasetInfo s : lzc.snapshots(ds)) out.put(s.shortName(), s.guid());
            return out;
        } catch (ZfsException e) {
            throw gone(id, ds, "list the snapshots of", e);
        }
    }

    @Override
    public void bookmark(VolumeId id, String snapshot, String bookmark) {
        VolumeName.checkSnapshotName(bookmark);
        String ds = existing(id);
        if (!lzc.exists(ds + "@" + snapshot)) throw new VolumeNotFound("volume " + id + " has no snapshot " + snapshot);
        if (lzc.exists(ds + "#" + bookmark)) throw new SnapshotExists(id, "#" + bookmark);
        try {
            lzc.bookmark(Map.of(ds + "#" + bookmark, ds + "@" + snapshot));
        } catch (io.flocker.lzc.errors.BookmarkExists e) {
            throw new SnapshotExists(id, "#" + bookmark);
        } catch (ZfsException e) {
            throw gone(id, ds, "bookmark a snapshot of", e);
        }
    }

    @Override
    public Map<String, Long> bookmarks(VolumeId id) {
        String ds = existing(id);
        try {
            Map<String, Long> out = new LinkedHashMap<>();
            lzc.getBookmarks(ds).forEach((name, props) ->
                out.put(name.substring(name.indexOf('#') + 1), props.get("guid") instanceof Number n ? n.longValue() : 0L));
            return out;
        } catch (ZfsException e) {
            throw gone(id, ds, "list the bookmarks of", e);
        }
    }

    @Override
    public void destroyBookmarks(VolumeId id, List<String> bookmarks) {
        String ds = existing(id);
        if (bookmarks.isEmpty()) return;
        List<String> full = new ArrayList<>();
        for (String b : bookmarks) full.add(ds + "#" + VolumeName.checkSnapshotName(b));
        try {
            lzc.destroyBookmarks(full);
        } catch (ZfsException e) {
            throw gone(id, ds, "destroy bookmarks of", e);
        }
    }

    /** A stream's origin as lzc_send takes it: {@code ds@snapshot}, or {@code ds#bookmark} for "#bookmark". */
    private static String origin(String ds, String from) {
        if (from == null) return null;
        if (from.startsWith("#")) return ds + "#" + VolumeName.checkSnapshotName(from.substring(1));
        return ds + "@" + VolumeName.checkSnapshotName(from);
    }

    // ---- moving volumes between nodes -------------------------------------

    /** Large blocks, embedded data and compressed blocks travel as they are: smaller, and no work to redo. */
    private static final Set<SendFlag> SEND_FLAGS = EnumSet.of(SendFlag.LARGE_BLOCK, SendFlag.EMBED_DATA, SendFlag.COMPRESS);

    @Override
    public void destroySnapshots(VolumeId id, List<String> snapshots) {
        String ds = existing(id);
        if (snapshots.isEmpty()) return;
        List<String> full = new ArrayList<>();
        for (String s : snapshots) {
            VolumeName.checkSnapshotName(s);
            full.add(ds + "@" + s);
        }
        try {
            lzc.destroySnapshots(full, false);
        } catch (io.flocker.lzc.errors.SnapshotDestructionFailure e) {
            // errno 0: refused by the binding's own checks, not held or cloned snapshots.
            if (e.errno() == 0) {
                throw ZfsErrors.translate("destroy snapshots of volume " + VolumeException.quote(id.name().value()), e);
            }
            throw new VolumeBusy("cannot destroy snapshots of volume " + VolumeException.quote(id.name().value()) + ": "
                + e.reason(), e);
        } catch (ZfsException e) {
            throw ZfsErrors.translate("destroy snapshots of volume " + VolumeException.quote(id.name().value()), e);
        }
    }

    @Override
    public long estimateSend(VolumeId id, String snapshot, String from) {
        String ds = existing(id);
        try {
            return lzc.sendSpace(ds + "@" + snapshot, origin(ds, from), SEND_FLAGS);
        } catch (ZfsException e) {
            throw ZfsErrors.translate("estimate the stream of volume " + VolumeException.quote(id.name().value()), e);
        }
    }

    @Override
    public long send(VolumeId id, String snapshot, String from, OutputStream out, LongConsumer progress) {
        String ds = existing(id);
        VolumeName.checkSnapshotName(snapshot);
        String start = origin(ds, from);
        String what = "send volume " + VolumeException.quote(id.name().value()) + " snapshot " + snapshot;
        return StreamPump.send(what, fd -> lzc.send(ds + "@" + snapshot, start, fd, SEND_FLAGS), out, progress);
    }

    @Override
    public String resumedSnapshot(VolumeId id, String resumeToken) {
        String to = checkResume(id, resumeToken).token().toName();
        return to.substring(to.indexOf('@') + 1);
    }

    @Override
    public long sendResume(VolumeId id, String resumeToken, OutputStream out, LongConsumer progress) {
        Resume r = checkResume(id, resumeToken);
        ResumeToken t = r.token();
        return StreamPump.send("resume sending volume " + VolumeException.quote(id.name().value()),
            fd -> lzc.sendResume(t.toName(), r.from(), fd, t.flags(), t.object(), t.offset()), out, progress);
    }

    private record Resume(ResumeToken token, String from) {}

    // The token is the receiver's word: every part of it that picks what is sent is checked against this pool.
    private Resume checkResume(VolumeId id, String resumeToken) {
        String ds = existing(id);
        String what = "cannot resume the push of volume " + VolumeException.quote(id.name().value()) + ": ";
        ResumeToken t;
        try {
            t = ResumeToken.decode(resumeToken);
        } catch (ZfsException e) {
            throw new StreamRefused(what + e.reason(), e);
        }
        if (!t.toName().startsWith(ds + "@") || !ZfsNames.filesystemOf(t.toName()).equals(ds)) {
            throw new StreamRefused(what + "the receiver's partial stream is of " + VolumeException.quote(t.toName()));
        }
        if (!SEND_FLAGS.containsAll(t.flags())) {
            throw new StreamRefused(what + "the receiver's partial stream was sent with flags " + t.flags()
                + ", and this node sends with " + SEND_FLAGS + " only");
        }
        List<DatasetInfo> snaps = lzc.snapshots(ds);
        DatasetInfo to = null;
        String from = null;
        for (DatasetInfo s : snaps) {
            if (s.name().equals(t.toName())) to = s;
            if (t.fromGuid() != 0 && s.guid() == t.fromGuid()) from = s.name();
        }
        if (to == null) {
            throw new StreamRefused(what + "snapshot " + VolumeException.quote(t.toName()) + " is gone here");
        }
        if (to.guid() != t.toGuid()) {
            throw new StreamRefused(what + "the receiver's partial stream is of another snapshot named "
                + VolumeException.quote(t.toName()) + " (GUID " + Long.toUnsignedString(t.toGuid()) + ", here "
                + Long.toUnsignedString(to.guid()) + ")");
        }
        if (t.fromGuid() != 0 && from == null) {
            // an incremental from a bookmark (a push base of one destination)
            for (var b : lzc.getBookmarks(ds).entrySet()) {
                if (b.getValue().get("guid") instanceof Number n && n.longValue() == t.fromGuid()) from = b.getKey();
            }
            if (from == null) throw new StreamRefused(what + "the snapshot its partial stream started from is gone here");
        }
        return new Resume(t, from);
    }

    @Override
    public String receive(VolumeId id, Path mountPath, InputStream in) {
        String ds = dataset(id);
        String what = "receive volume " + VolumeException.quote(id.name().value()) + " of node " + id.owner();
        return StreamPump.receive(what, in, fd -> receiveFrom(id, ds, mountPath, fd, what));
    }

    private String receiveFrom(VolumeId id, String ds, Path mountPath, int fd, String what) {
        StreamHeader header;
        try {
            header = StreamHeader.read(fd);
        } catch (ZfsException e) {
            throw new StreamRefused("cannot " + what + ": " + e.reason(), e);
        }
        String snapshot = header.snapshotName();
        try {
            VolumeName.checkSnapshotName(snapshot);
        } catch (VolumeException e) {
            throw new StreamRefused("cannot " + what + ": the stream's snapshot name is not acceptable: " + e.getMessage());
        }
        boolean exists = lzc.exists(ds);
        if (exists) dropStalePartial(ds, header);
        exists = lzc.exists(ds);
        if (header.isIncremental() && !exists) {
            throw new StreamRefused("cannot " + what + ": the stream is incremental, but this node has no copy of the "
                + "volume to apply it to");
        }
        Path mountpoint = mountRoot.resolve(id.key());
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("readonly", "on");
        props.put("mountpoint", mountpoint.toString());
        if (mountPath != null) props.put(MOUNT_PATH_PROPERTY, mountPath.toString());
        FailPoints.step("stream.before");
        try {
            lzc.receive(ds + "@" + snapshot, fd, ReceiveOptions.DEFAULTS.withResumable(true).withProperties(props), header);
        } catch (io.flocker.lzc.errors.BadStream | io.flocker.lzc.errors.StreamIoError
                 | io.flocker.lzc.errors.StreamMismatch | io.flocker.lzc.errors.DestinationModified
                 | io.flocker.lzc.errors.DatasetExists | io.flocker.lzc.errors.PartialReceiveExists
                 | io.flocker.lzc.errors.StreamFeatureNotSupported | io.flocker.lzc.errors.StreamFeatureInvalid e) {
            throw new StreamRefused("cannot " + what + ": " + e.reason() + partialNote(ds), e);
        } catch (io.flocker.lzc.errors.NoSpace | io.flocker.lzc.errors.QuotaExceeded e) {
            // Resuming cannot help until space is freed: leave the receiver clean.
            try {
                lzc.abortReceive(ds);
                LOG.warn("cannot {}: {} in pool {}; its partial stream is dropped", what, e.reason(), pool);
            } catch (ZfsException undo) {
                e.addSuppressed(undo);
                LOG.warn("cannot {}: {} in pool {}, and dropping its partial stream failed too ({}): the next push "
                    + "of it drops it", what, e.reason(), pool, undo.toString());
            }
            throw new StorageException("cannot " + what + ": " + e.reason() + " in pool " + VolumeException.quote(pool)
                + " (nothing of the stream was kept)", e);
        } catch (ZfsException e) {
            throw ZfsErrors.translate(what, e);
        }
        FailPoints.step("stream.after");
        if (ZfsMounts.mountpointOf(ds) == null) {
            try {
                MountPlaceholder.clear(mountpoint);
                ZfsMounts.mount(ds, mountpoint, true);
            } catch (ZfsException e) {
                throw ZfsErrors.translate("mount the received volume " + VolumeException.quote(id.name().value()), e);
            }
            FailPoints.step("mount.after");
        }
        return snapshot;
    }

    /**
     * A partial receive waits for the rest of its own stream; a stream of
     * another snapshot means the sender chose to start afresh (it can no
     * longer resume), so the partial state goes, as {@code zfs receive -A}.
     */
    private void dropStalePartial(String ds, StreamHeader header) {
        String token = lzc.receiveResumeToken(ds);
        if (token == null) return;
        try {
            if (ResumeToken.decode(token).toGuid() == header.toGuid()) return;
        } catch (ZfsException unreadable) {
            // a token we cannot read cannot be resumed either
        }
        lzc.abortReceive(ds);
        LOG.warn("dropped the partial receive into {}: the sender starts afresh with a stream of another snapshot",
            ds);
    }

    private String partialNote(String ds) {
        try {
            return lzc.exists(ds) && lzc.receiveResumeToken(ds) != null
                ? " (the part received is kept: the next push resumes from it)" : "";
        } catch (ZfsException e) {
            return "";
        }
    }

    @Override
    public Optional<String> resumeToken(VolumeId id) {
        String ds = dataset(id);
        try {
            if (!lzc.exists(ds)) return Optional.empty();
            return Optional.ofNullable(lzc.receiveResumeToken(ds));
        } catch (DatasetNotFound e) {
            return Optional.empty();
        } catch (ZfsException e) {
            throw ZfsErrors.translate("read the receive state of volume " + VolumeException.quote(id.name().value()), e);
        }
    }

    @Override
    public Filesystem changeOwner(VolumeId from, VolumeId to, boolean readOnly) {
        // A volume unmounted has a placeholder in its place (MountPlaceholder): the new name's place must be
        // free to mount at, and the old name's place is no volume's afterwards.
        MountPlaceholder.clear(mountRoot.resolve(to.key()));
        Filesystem moved = OwnerChange.run(lzc, libzfs(), this, dataset(from), dataset(to), mountRoot.resolve(to.key()),
            from, to, readOnly);
        MountPlaceholder.clear(mountRoot.resolve(from.key()));
        return moved;
    }

    private synchronized LibZfs libzfs() {
        if (libzfs == null) {
            try {
                libzfs = LibZfs.open();
            } catch (ZfsUnavailable e) {
                throw new StorageUnavailable("cannot set properties of volumes: " + e.reason(), e);
            } catch (LinkageError e) {
                throw new StorageUnavailable("cannot set properties of volumes: " + e.getMessage(), e);
            }
        }
        return libzfs;
    }

    @Override
    public boolean setReadOnly(VolumeId id, boolean readOnly) {
        Filesystem fs = get(id).orElseThrow(() -> new VolumeNotFound(id));
        if (fs.readOnly() == readOnly) return false;
        try {
            libzfs().setProperty(fs.dataset(), "readonly", readOnly ? "on" : "off");
        } catch (ZfsException e) {
            throw gone(id, fs.dataset(), "set readonly on", e);
        }
        return true;
    }

    @Override
    public long epoch(VolumeId id) {
        String value = mark(id, VolumeMarks.EPOCH);
        try {
            return value == null ? 0 : Long.parseLong(value);
        } catch (NumberFormatException e) {
            // Not one we wrote: counted as no owner change known.
            return 0;
        }
    }

    @Override
    public void setEpoch(VolumeId id, long epoch) {
        setMark(id, VolumeMarks.EPOCH, Long.toString(epoch));
    }

    @Override
    public String pending(VolumeId id) {
        return mark(id, VolumeMarks.PENDING);
    }

    @Override
    public void setPending(VolumeId id, String operation) {
        setMark(id, VolumeMarks.PENDING, operation);
    }

    private String mark(VolumeId id, String prop) {
        String ds = existing(id);
        try {
            return VolumeMarks.get(lzc, pool, ds, prop);
        } catch (ZfsException e) {
            throw gone(id, ds, "read " + prop + " of", e);
        }
    }

    private void setMark(VolumeId id, String prop, String value) {
        String ds = existing(id);
        try {
            VolumeMarks.set(lzc, pool, ds, prop, value);
        } catch (ZfsException e) {
            throw gone(id, ds, "set " + prop + " on", e);
        }
    }

    @Override
    public boolean isMounted(VolumeId id) {
        return ZfsMounts.mountpointOf(dataset(id)) != null;
    }

    @Override
    public List<String> repair(VolumeId id, boolean writable) {
        String ds = existing(id);
        String vol = "volume " + VolumeException.quote(id.name().value()) + " of node " + id.owner();
        List<String> done = new ArrayList<>();
        try {
            // A first receive cut short is a dataset with no snapshot yet: it cannot be mounted, and the next push
            // of its owner resumes it. (An incremental one waits beside the mounted copy and needs nothing.)
            if (lzc.snapshots(ds).isEmpty() && lzc.receiveResumeToken(ds) != null) return done;
            Filesystem fs = get(id).orElseThrow(() -> new VolumeNotFound(id));
            Path want = mountRoot.resolve(id.key());
            Path at = ZfsMounts.mountpointOf(ds);
            Map<String, String> props = new LinkedHashMap<>();
            if (fs.readOnly() == writable) props.put("readonly", writable ? "off" : "on");
            if (!want.equals(fs.mountpoint())) props.put("mountpoint", want.toString());
            if (at != null && !at.equals(want)) {
                ZfsMounts.unmount(at, false);
                done.add(vol + ": unmounted from " + at + ", which its name does not give");
                removeEmptyDirectory(at);
            }
            if (!props.isEmpty()) {
                libzfs().setProperties(ds, props);
                if (props.containsKey("readonly")) {
                    done.add(vol + ": made " + (writable ? "writable: its name says this node owns it"
                        : "read-only: its name says node " + id.owner() + " owns it"));
                }
                if (props.containsKey("mountpoint")) {
                    done.add(vol + ": mountpoint set to " + want + " (was " + fs.mountpoint() + ")");
                    removeEmptyDirectory(fs.mountpoint());
                }
            }
            if (ZfsMounts.mountpointOf(ds) == null) {
                MountPlaceholder.clear(want);
                ZfsMounts.mount(ds, want, !writable);
                done.add(vol + ": mounted at " + want);
            }
        } catch (DatasetBusy e) {
            throw new VolumeBusy("cannot repair " + vol + ": it is in use (" + e.reason() + ")", e);
        } catch (ZfsException e) {
            throw gone(id, ds, "repair", e);
        }
        return done;
    }

    @Override
    public boolean unmount(VolumeId id) {
        String ds = existing(id);
        Path at = ZfsMounts.mountpointOf(ds);
        if (at == null) return false;
        try {
            boolean done = ZfsMounts.unmount(at, false);
            // An empty directory in the volume's place would take writes meant for it, on the root file system.
            MountPlaceholder.put(at);
            return done;
        } catch (DatasetBusy e) {
            throw new VolumeBusy("volume " + VolumeException.quote(id.name().value()) + " is in use at " + at
                + " (files or working directories open there)", e);
        } catch (ZfsException e) {
            throw ZfsErrors.translate("unmount volume " + VolumeException.quote(id.name().value()), e);
        }
    }

    @Override
    public boolean mount(VolumeId id) {
        String ds = existing(id);
        if (ZfsMounts.mountpointOf(ds) != null) return false;
        Filesystem fs = get(id).orElseThrow(() -> new VolumeNotFound(id));
        Path at = fs.mountpoint() != null ? fs.mountpoint() : mountRoot.resolve(id.key());
        try {
            MountPlaceholder.clear(at);
            ZfsMounts.mount(ds, at, fs.readOnly());
            return true;
        } catch (ZfsException e) {
            throw ZfsErrors.translate("mount volume " + VolumeException.quote(id.name().value()), e);
        }
    }

    @Override
    public VolumeProperties properties(VolumeId id) {
        String ds = existing(id);
        try {
            return LocalProperties.read(lzc, pool, ds);
        } catch (ZfsException e) {
            throw gone(id, ds, "read the properties of", e);
        }
    }

    @Override
    public int addUser(VolumeId id, String user) {
        String ds = existing(id);
        try {
            return VolumeUsers.add(lzc, pool, ds, Objects.requireNonNull(user, "user")).size();
        } catch (ZfsException e) {
            throw gone(id, ds, "record a user of", e);
        }
    }

    @Override
    public int removeUser(VolumeId id, String user) {
        String ds = existing(id);
        try {
            return VolumeUsers.remove(lzc, pool, ds, Objects.requireNonNull(user, "user")).size();
        } catch (ZfsException e) {
            throw gone(id, ds, "forget a user of", e);
        }
    }

    @Override
    public Set<String> users(VolumeId id) {
        String ds = existing(id);
        try {
            return VolumeUsers.list(lzc, pool, ds);
        } catch (ZfsException e) {
            throw gone(id, ds, "read the users of", e);
        }
    }

    // A program on a dataset destroyed after the check that it exists fails at run time.
    private VolumeException gone(VolumeId id, String ds, String what, ZfsException e) {
        if (!lzc.exists(ds)) return new VolumeNotFound(id);
        return ZfsErrors.translate(what + " volume " + VolumeException.quote(id.name().value()), e);
    }

    /** The dataset of a volume that must exist. */
    private String existing(VolumeId id) {
        String ds = dataset(id);
        if (!lzc.exists(ds)) throw new VolumeNotFound(id);
        return ds;
    }

    private static Filesystem describe(VolumeId id, String dataset, VolumeLister.Props p) {
        return new Filesystem(id, dataset, absolutePath(p.mountpoint()), absolutePath(p.mountPath()), p.readonly(), p.used());
    }

    // "none", "legacy" or a value someone typed by hand are no paths.
    private static Path absolutePath(String text) {
        if (text == null || !text.startsWith("/")) return null;
        try {
            return Path.of(text);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private StorageUnavailable poolGone(ZfsException e) {
        return new StorageUnavailable("ZFS pool " + VolumeException.quote(pool) + " does not exist (any more?)", e);
    }

    static void removeEmptyDirectory(Path dir) {
        if (dir == null || !Files.isDirectory(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) return;
        try {
            Files.deleteIfExists(dir);
        } catch (IOException | SecurityException e) {
            // not empty, or not ours to remove: leave it
        }
    }
}
