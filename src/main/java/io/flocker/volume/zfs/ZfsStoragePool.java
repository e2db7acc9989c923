package io.flocker.volume.zfs;

import io.flocker.lzc.DatasetInfo;
import io.flocker.lzc.DatasetType;
import io.flocker.lzc.LibZfsCore;
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
import io.flocker.volume.Filesystem;
import io.flocker.volume.SnapshotExists;
import io.flocker.volume.StoragePool;
import io.flocker.volume.StorageUnavailable;
import io.flocker.volume.VolumeBusy;
import io.flocker.volume.VolumeException;
import io.flocker.volume.VolumeExists;
import io.flocker.volume.VolumeId;
import io.flocker.volume.VolumeName;
import io.flocker.volume.VolumeNotFound;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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
 */
public final class ZfsStoragePool implements StoragePool {
    /** The user property that records a volume's mount path (where containers see it). */
    public static final String MOUNT_PATH_PROPERTY = "io.flocker:mount_path";

    private final LibZfsCore lzc;
    private final String pool;
    private final Path mountRoot;

    private ZfsStoragePool(LibZfsCore lzc, String pool, Path mountRoot) {
        this.lzc = lzc;
        this.pool = pool;
        this.mountRoot = mountRoot;
    }

    /**
     * The pool {@code pool}, its volumes mounted under {@code mountRoot}.
     *
     * @throws StorageUnavailable when ZFS cannot be used here (no /dev/zfs, no
     *     libzfs_core) or there is no such pool
     * @throws VolumeException when the pool name or mount root cannot be one
     */
    public static ZfsStoragePool open(String pool, Path mountRoot) {
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
        return new ZfsStoragePool(lzc, pool, mountRoot.normalize());
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
        String ds = dataset(id);
        Path mountpoint = mountRoot.resolve(id.key());
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("mountpoint", mountpoint.toString());
        props.put(MOUNT_PATH_PROPERTY, mountPath.toString());
        if (readOnly) props.put("readonly", "on");
        try {
            lzc.create(ds, DatasetType.FILESYSTEM, props);
        } catch (FilesystemExists e) {
            throw new VolumeExists(id);
        } catch (ParentNotFound e) {
            throw poolGone(e);
        } catch (ZfsException e) {
            throw ZfsErrors.translate("create volume " + VolumeException.quote(id.name().value()), e);
        }
        try {
            ZfsMounts.mount(ds, mountpoint, readOnly);
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
        if (mounted != null) {
            try {
                ZfsMounts.unmount(mounted, false);
            } catch (DatasetBusy e) {
                throw new VolumeBusy("cannot " + what + ": it is in use at " + mounted
                    + " (files or working directories open there, or a dataset mounted inside it)", e);
            } catch (ZfsException e) {
                throw ZfsErrors.translate(what, e);
            }
        }
        try {
            DestroyProgram.run(lzc, pool, ds);
        } catch (RuntimeException e) {
            if (mounted != null) {
                try {
                    ZfsMounts.mount(ds, mounted, fs.readOnly());
                } catch (RuntimeException undo) {
                    e.addSuppressed(undo);
                }
            }
            if (!(e instanceof ZfsException z)) throw e;
            VolumeException v = ZfsErrors.translate(what, z);
            for (Throwable s : z.getSuppressed()) v.addSuppressed(s);
            throw v;
        }
        removeEmptyDirectory(mounted);
        if (fs.mountpoint() != null && !fs.mountpoint().equals(mounted)) removeEmptyDirectory(fs.mountpoint());
    }

    @Override
    public void snapshot(VolumeId id, String snapshot) {
        VolumeName.checkSnapshotName(snapshot);
        String ds = dataset(id);
        if (!lzc.exists(ds)) throw new VolumeNotFound(id);
        try {
            lzc.snapshot(ds + "@" + snapshot);
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

    private static void removeEmptyDirectory(Path dir) {
        if (dir == null || !Files.isDirectory(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) return;
        try {
            Files.deleteIfExists(dir);
        } catch (IOException | SecurityException e) {
            // not empty, or not ours to remove: leave it
        }
    }
}
