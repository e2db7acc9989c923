package io.flocker.volume.memory;

import io.flocker.volume.Filesystem;
import io.flocker.volume.SnapshotExists;
import io.flocker.volume.StoragePool;
import io.flocker.volume.VolumeExists;
import io.flocker.volume.VolumeId;
import io.flocker.volume.VolumeName;
import io.flocker.volume.VolumeNotFound;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link StoragePool} kept in memory, for unit tests of everything above
 * storage. It touches no disk: mountpoints are the paths a real pool would
 * use ({@code <root>/<uuid>.<name>}), nothing is mounted there. The contract
 * suite holds it to the ZFS pool's behaviour.
 */
public final class MemoryStoragePool implements StoragePool {
    private final String name;
    private final Path mountRoot;
    private final Map<VolumeId, Entry> volumes = new LinkedHashMap<>();

    private static final class Entry {
        final Path mountPath;
        final boolean readOnly;
        final List<String> snapshots = new ArrayList<>();

        Entry(Path mountPath, boolean readOnly) {
            this.mountPath = mountPath;
            this.readOnly = readOnly;
        }
    }

    /**
     * @param name the pool's name, as a ZFS pool's would be
     * @param mountRoot where file systems would be mounted
     */
    public MemoryStoragePool(String name, Path mountRoot) {
        this.name = Objects.requireNonNull(name);
        this.mountRoot = Objects.requireNonNull(mountRoot);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public synchronized Filesystem create(VolumeId id, Path mountPath, boolean readOnly) {
        if (volumes.containsKey(id)) throw new VolumeExists(id);
        Entry e = new Entry(mountPath, readOnly);
        volumes.put(id, e);
        return describe(id, e);
    }

    @Override
    public synchronized Optional<Filesystem> get(VolumeId id) {
        Entry e = volumes.get(id);
        return e == null ? Optional.empty() : Optional.of(describe(id, e));
    }

    @Override
    public synchronized List<Filesystem> list() {
        List<Filesystem> out = new ArrayList<>();
        volumes.forEach((id, e) -> out.add(describe(id, e)));
        return out;
    }

    @Override
    public synchronized void destroy(VolumeId id) {
        if (volumes.remove(id) == null) throw new VolumeNotFound(id);
    }

    @Override
    public synchronized void snapshot(VolumeId id, String snapshot) {
        VolumeName.checkSnapshotName(snapshot);
        Entry e = volumes.get(id);
        if (e == null) throw new VolumeNotFound(id);
        if (e.snapshots.contains(snapshot)) throw new SnapshotExists(id, snapshot);
        e.snapshots.add(snapshot);
    }

    @Override
    public synchronized List<String> snapshots(VolumeId id) {
        Entry e = volumes.get(id);
        if (e == null) throw new VolumeNotFound(id);
        return List.copyOf(e.snapshots);
    }

    private Filesystem describe(VolumeId id, Entry e) {
        return new Filesystem(id, name + "/" + id.key(), mountRoot.resolve(id.key()), e.mountPath, e.readOnly, 0L);
    }
}
