package io.flocker.volume.memory;

import io.flocker.volume.Filesystem;
import io.flocker.volume.SnapshotExists;
import io.flocker.volume.StoragePool;
import io.flocker.volume.VolumeExists;
import io.flocker.volume.VolumeId;
import io.flocker.volume.VolumeName;
import io.flocker.volume.VolumeNotFound;
import io.flocker.volume.VolumeProperties;
import io.flocker.volume.StreamBroken;
import io.flocker.volume.StreamRefused;
import io.flocker.volume.VolumeException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.LongConsumer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

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
    private final java.util.Random guids = new java.util.Random();

    private static final class Entry {
        final Path mountPath;
        boolean readOnly;
        final List<String> snapshots = new ArrayList<>();
        boolean mounted = true;
        String resumeToken;
        long epoch;
        String pending;
        VolumeProperties properties = VolumeProperties.NONE;
        final Set<String> users = new java.util.LinkedHashSet<>();
        final Map<String, Long> guids = new LinkedHashMap<>();
        final Map<String, Map<String, String>> tags = new LinkedHashMap<>();
        final Map<String, Long> bookmarks = new LinkedHashMap<>();

        void addSnapshot(String snapshot, long guid) {
            snapshots.add(snapshot);
            guids.put(snapshot, guid);
        }

        long guidOf(String snapshot) {
            Long g = guids.get(snapshot);
            return g == null ? 0 : g;
        }

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
    public Filesystem create(VolumeId id, Path mountPath, boolean readOnly) {
        return create(id, Objects.requireNonNull(mountPath, "mountPath"), readOnly, VolumeProperties.NONE);
    }

    @Override
    public synchronized Filesystem create(VolumeId id, Path mountPath, boolean readOnly, VolumeProperties properties) {
        Objects.requireNonNull(properties, "properties");
        if (volumes.containsKey(id)) throw new VolumeExists(id);
        Entry e = new Entry(mountPath, readOnly);
        e.properties = properties;
        volumes.put(id, e);
        return describe(id, e);
    }

    @Override
    public synchronized VolumeProperties properties(VolumeId id) {
        return entry(id).properties;
    }

    @Override
    public synchronized int addUser(VolumeId id, String user) {
        Entry e = entry(id);
        e.users.add(Objects.requireNonNull(user, "user"));
        return e.users.size();
    }

    @Override
    public synchronized int removeUser(VolumeId id, String user) {
        Entry e = entry(id);
        e.users.remove(user);
        return e.users.size();
    }

    @Override
    public synchronized Set<String> users(VolumeId id) {
        return Set.copyOf(entry(id).users);
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
        snapshot(id, snapshot, Map.of());
    }

    @Override
    public synchronized void snapshot(VolumeId id, String snapshot, Map<String, String> userProperties) {
        VolumeName.checkSnapshotName(snapshot);
        userProperties.keySet().forEach(MemoryStoragePool::checkUserProperty);
        Entry e = volumes.get(id);
        if (e == null) throw new VolumeNotFound(id);
        if (e.snapshots.contains(snapshot)) throw new SnapshotExists(id, snapshot);
        e.addSnapshot(snapshot, newGuid());
        if (!userProperties.isEmpty()) e.tags.put(snapshot, new LinkedHashMap<>(userProperties));
    }

    @Override
    public synchronized Map<String, String> taggedSnapshots(VolumeId id, String property) {
        Entry e = entry(id);
        Map<String, String> out = new LinkedHashMap<>();
        for (String s : e.snapshots) {
            Map<String, String> t = e.tags.get(s);
            if (t != null && t.containsKey(property)) out.put(s, t.get(property));
        }
        return out;
    }

    @Override
    public synchronized void tagSnapshot(VolumeId id, String snapshot, String property, String value) {
        checkUserProperty(property);
        Entry e = entry(id);
        if (!e.snapshots.contains(snapshot)) throw new VolumeNotFound("volume " + id + " has no snapshot " + snapshot);
        e.tags.computeIfAbsent(snapshot, k -> new LinkedHashMap<>()).put(property, Objects.requireNonNull(value));
    }

    @Override
    public synchronized Map<String, Long> snapshotGuids(VolumeId id) {
        Entry e = entry(id);
        Map<String, Long> out = new LinkedHashMap<>();
        for (String s : e.snapshots) out.put(s, e.guidOf(s));
        return out;
    }

    @Override
    public synchronized void bookmark(VolumeId id, String snapshot, String bookmark) {
        VolumeName.checkSnapshotName(bookmark);
        Entry e = entry(id);
        if (!e.snapshots.contains(snapshot)) throw new VolumeNotFound("volume " + id + " has no snapshot " + snapshot);
        if (e.bookmarks.containsKey(bookmark)) throw new SnapshotExists(id, "#" + bookmark);
        e.bookmarks.put(bookmark, e.guidOf(snapshot));
    }

    @Override
    public synchronized Map<String, Long> bookmarks(VolumeId id) {
        return new LinkedHashMap<>(entry(id).bookmarks);
    }

    @Override
    public synchronized void destroyBookmarks(VolumeId id, List<String> bookmarks) {
        Entry e = entry(id);
        bookmarks.forEach(VolumeName::checkSnapshotName);
        bookmarks.forEach(e.bookmarks::remove);
    }

    // As ZFS: a user property is module:name, in lower case, digits and -_.: only.
    private static void checkUserProperty(String property) {
        if (property == null || !property.matches("[a-z0-9_.-]+:[a-z0-9_.:-]+")) {
            throw new VolumeException("invalid user property name " + VolumeException.quote(String.valueOf(property))
                + " (module:name, in lower case)");
        }
    }

    private long newGuid() {
        long g;
        do g = guids.nextLong(); while (g == 0);
        return g;
    }

    @Override
    public synchronized List<String> snapshots(VolumeId id) {
        Entry e = volumes.get(id);
        if (e == null) throw new VolumeNotFound(id);
        return List.copyOf(e.snapshots);
    }

    // ---- moving volumes: streams are a small text format of this class's own ----

    private static final String MAGIC = "FLOCKER-MEMORY-STREAM 1";

    @Override
    public synchronized void destroySnapshots(VolumeId id, List<String> snapshots) {
        Entry e = entry(id);
        snapshots.forEach(VolumeName::checkSnapshotName);
        e.snapshots.removeAll(snapshots);
        for (String s : snapshots) {
            e.guids.remove(s);
            e.tags.remove(s);
        }
    }

    @Override
    public synchronized long estimateSend(VolumeId id, String snapshot, String from) {
        Entry e = checkSend(id, snapshot, from);
        return stream(e, snapshot, from, false).length;
    }

    @Override
    public long send(VolumeId id, String snapshot, String from, OutputStream out, LongConsumer progress) {
        byte[] stream;
        synchronized (this) {
            stream = stream(checkSend(id, snapshot, from), snapshot, from, false);
        }
        return write(id, stream, out, progress);
    }

    @Override
    public long sendResume(VolumeId id, String resumeToken, OutputStream out, LongConsumer progress) {
        byte[] stream;
        synchronized (this) {
            String[] t = checkResume(id, resumeToken);
            stream = stream(entry(id), t[1], t[2].equals("-") ? null : t[2], true);
        }
        return write(id, stream, out, progress);
    }

    @Override
    public synchronized String resumedSnapshot(VolumeId id, String resumeToken) {
        return checkResume(id, resumeToken)[1];
    }

    // A token here is "mem:SNAPSHOT:FROM" ("-" for a full stream).
    private String[] checkResume(VolumeId id, String resumeToken) {
        String[] t = resumeToken.split(":", 3);
        if (t.length != 3 || !t[0].equals("mem")) {
            throw new StreamRefused("cannot resume the push of volume " + VolumeException.quote(id.name().value())
                + ": not a token of this pool: " + VolumeException.quote(resumeToken));
        }
        String from = t[2].equals("-") ? null : t[2];
        Entry e = entry(id);
        if (!e.snapshots.contains(t[1]) || from != null && !has(e, from)) {
            throw new StreamRefused("cannot resume the push of volume " + VolumeException.quote(id.name().value())
                + ": the snapshot its partial stream is of is gone here");
        }
        return t;
    }

    private Entry checkSend(VolumeId id, String snapshot, String from) {
        Entry e = entry(id);
        if (!e.snapshots.contains(snapshot)) throw new VolumeNotFound("volume " + id + " has no snapshot " + snapshot);
        if (from != null && !has(e, from)) throw new VolumeNotFound("volume " + id + " has no snapshot or bookmark " + from);
        return e;
    }

    // A stream's origin: a snapshot, or "#" and a bookmark.
    private static boolean has(Entry e, String from) {
        return from.startsWith("#") ? e.bookmarks.containsKey(from.substring(1)) : e.snapshots.contains(from);
    }

    private static long originGuid(Entry e, String from) {
        if (from == null) return 0;
        return from.startsWith("#") ? e.bookmarks.get(from.substring(1)) : e.guidOf(from);
    }

    private static byte[] stream(Entry e, String snapshot, String from, boolean resuming) {
        // Like lzc_send, one snapshot travels (intermediate ones do not), with
        // its GUID, and an incremental one names its origin by GUID; the
        // padding stands for data, so that sizes and truncation mean something.
        // An incremental stream is smaller than a full one, as on ZFS.
        String text = MAGIC + "\nto " + snapshot + "\nguid " + e.guidOf(snapshot) + "\nfrom " + (from == null ? "-" : from)
            + "\nfromguid " + originGuid(e, from) + "\nresuming " + resuming
            + "\npad " + "x".repeat(from == null ? 4096 : 512) + "\nend\n";
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static long write(VolumeId id, byte[] stream, OutputStream out, LongConsumer progress) {
        try {
            out.write(stream);
            out.flush();
        } catch (IOException e) {
            throw new StreamBroken("cannot send volume " + id + ": the receiving side stopped reading (" + e.getMessage()
                + ")", e);
        }
        if (progress != null) progress.accept(stream.length);
        return stream.length;
    }

    @Override
    public String receive(VolumeId id, Path mountPath, InputStream in) {
        byte[] data;
        try {
            data = in.readAllBytes();
        } catch (IOException e) {
            data = new byte[0];
        }
        String text = new String(data, StandardCharsets.UTF_8);
        String what = "cannot receive volume " + VolumeException.quote(id.name().value()) + " of node " + id.owner();
        if (!text.startsWith(MAGIC + "\n")) throw new StreamRefused(what + ": not a send stream");
        Map<String, String> f = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            int sp = line.indexOf(' ');
            if (sp > 0) f.put(line.substring(0, sp), line.substring(sp + 1));
        }
        String to = f.get("to"), from = f.get("from");
        if (to == null || from == null) throw new StreamRefused(what + ": not a send stream");
        synchronized (this) {
            Entry e = volumes.get(id);
            boolean complete = text.endsWith("\nend\n");
            boolean resuming = "true".equals(f.get("resuming"));
            if (e != null && e.resumeToken != null && !e.resumeToken.split(":", 3)[1].equals(to)) {
                // A stream of another snapshot: the sender chose to start afresh, so the partial state goes.
                e.resumeToken = null;
                if (e.snapshots.isEmpty()) {
                    volumes.remove(id);
                    e = null;
                }
            }
            long fromGuid = f.containsKey("fromguid") ? Long.parseLong(f.get("fromguid")) : 0;
            if (!from.equals("-")) {
                if (e == null) throw new StreamRefused(what + ": the stream is incremental, but this node has no copy");
                if (e.snapshots.isEmpty() || e.guidOf(e.snapshots.get(e.snapshots.size() - 1)) != fromGuid) {
                    throw new StreamRefused(what + ": the incremental stream does not apply: the target's newest "
                        + "snapshot is not the stream's origin");
                }
            } else if (e != null && !(resuming || (e.snapshots.isEmpty() && e.resumeToken != null))) {
                throw new StreamRefused(what + ": the target exists (a full stream needs a new name, or force)");
            }
            if (e == null) {
                e = new Entry(mountPath, true);
                volumes.put(id, e);
            }
            if (!complete) {
                e.resumeToken = "mem:" + to + ":" + from;
                throw new StreamRefused(what + ": the send stream ended early (the part received is kept: the next push "
                    + "resumes from it)");
            }
            e.resumeToken = null;
            if (!e.snapshots.contains(to)) e.addSnapshot(to, Long.parseLong(f.getOrDefault("guid", "0")));
            e.mounted = true;
            return to;
        }
    }

    @Override
    public synchronized Optional<String> resumeToken(VolumeId id) {
        Entry e = volumes.get(id);
        return e == null ? Optional.empty() : Optional.ofNullable(e.resumeToken);
    }

    @Override
    public synchronized Filesystem changeOwner(VolumeId from, VolumeId to, boolean readOnly) {
        Entry e = entry(from);
        if (volumes.containsKey(to)) throw new VolumeExists(to);
        // As ZFS's rename: the same file system under another name, everything kept (snapshots with
        // their GUIDs and tags, bookmarks).
        volumes.remove(from);
        e.readOnly = readOnly;
        e.epoch++;
        e.mounted = true;
        volumes.put(to, e);
        return describe(to, e);
    }

    @Override
    public synchronized boolean setReadOnly(VolumeId id, boolean readOnly) {
        Entry e = entry(id);
        boolean changed = e.readOnly != readOnly;
        e.readOnly = readOnly;
        return changed;
    }

    @Override
    public synchronized long epoch(VolumeId id) {
        return entry(id).epoch;
    }

    @Override
    public synchronized void setEpoch(VolumeId id, long epoch) {
        entry(id).epoch = epoch;
    }

    @Override
    public synchronized String pending(VolumeId id) {
        return entry(id).pending;
    }

    @Override
    public synchronized void setPending(VolumeId id, String operation) {
        entry(id).pending = operation;
    }

    @Override
    public synchronized boolean isMounted(VolumeId id) {
        Entry e = volumes.get(id);
        return e != null && e.mounted;
    }

    @Override
    public synchronized List<String> repair(VolumeId id, boolean writable) {
        Entry e = entry(id);
        List<String> done = new ArrayList<>();
        if (e.snapshots.isEmpty() && e.resumeToken != null) return done;
        String vol = "volume " + VolumeException.quote(id.name().value()) + " of node " + id.owner();
        if (e.readOnly == writable) {
            e.readOnly = !writable;
            done.add(vol + ": made " + (writable ? "writable: its name says this node owns it"
                : "read-only: its name says node " + id.owner() + " owns it"));
        }
        if (!e.mounted) {
            e.mounted = true;
            done.add(vol + ": mounted at " + mountRoot.resolve(id.key()));
        }
        return done;
    }

    @Override
    public synchronized boolean unmount(VolumeId id) {
        Entry e = entry(id);
        boolean was = e.mounted;
        e.mounted = false;
        return was;
    }

    @Override
    public synchronized boolean mount(VolumeId id) {
        Entry e = entry(id);
        boolean was = e.mounted;
        e.mounted = true;
        return !was;
    }

    private Entry entry(VolumeId id) {
        Entry e = volumes.get(id);
        if (e == null) throw new VolumeNotFound(id);
        return e;
    }

    private Filesystem describe(VolumeId id, Entry e) {
        return new Filesystem(id, name + "/" + id.key(), mountRoot.resolve(id.key()), e.mountPath, e.readOnly, 0L);
    }
}
