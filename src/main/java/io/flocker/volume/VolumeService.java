package io.flocker.volume;

import io.flocker.volume.docker.DataContainers;
import io.flocker.volume.docker.DockerException;
import io.flocker.volume.docker.RunningContainers;
import io.flocker.volume.usage.MountTable;
import io.flocker.volume.usage.ProcMountTable;
import io.flocker.volume.usage.UsageProbe;
import io.flocker.volume.usage.VolumeUsage;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The volume manager: what a JVM service embeds, and what the {@code
 * flocker-volume} CLI is a thin face over.
 *
 * <p>A volume is (owner, name, mount path): the file system {@code
 * <uuid>.<name>} in a {@link StoragePool}, and for volumes this node
 * creates, a Docker data container {@code flocker-<name>-data} that binds the
 * file system's mountpoint at the mount path, so {@code docker run
 * --volumes-from flocker-<name>-data} sees it. Volumes of other nodes are
 * listed too; they are read-only, and only their owner may change them.
 *
 * <p>Create and destroy change both places or neither: a failure half-way is
 * undone before the error reaches the caller. Safe to use from several
 * threads; the kernel decides races between creates of the same name.
 *
 * <p>Moving volumes between nodes (push, receive, acquire) builds on {@link
 * #owned} (push only what you own), {@link #checkReceivable} (receive only
 * what you do not), {@link #snapshots} (what the receiver has), and {@link
 * StoragePool#create(VolumeId, Path, boolean)} with read-only set.
 */
public final class VolumeService {
    private static final Logger LOG = LoggerFactory.getLogger(VolumeService.class);
    /** The {@link StoragePool#pending} mark of a destroy begun: repair finishes it. */
    static final String DESTROYING = "destroy";
    /** How long a container asked to stop has before it is killed (Docker's own default). */
    static final Duration STOP_GRACE = Duration.ofSeconds(10);
    /** How long, after its containers stopped, a volume's other users have to go (Docker unmounts plugin volumes then). */
    static final Duration SETTLE = Duration.ofSeconds(10);
    /**
     * How long mounts in other namespaces have to go by themselves before
     * they count as users: a container being started holds a copy of every
     * mount of the host until it pivots into its own root.
     */
    static final Duration PASSING = Duration.ofSeconds(10);

    private final UUID node;
    private final StoragePool pool;
    private final DataContainers containers;
    private final VolumeLocks locks;
    private final RunningContainers running;
    private final UsageProbe usage;
    /** {@link #SETTLE}, shorter in tests. */
    Duration settle = SETTLE;
    /** {@link #PASSING}, shorter in tests. */
    Duration passing = PASSING;

    /**
     * A service whose volume locks are {@link VolumeLocks#defaults()}, that
     * finds a volume's users in this machine's /proc and, when {@code
     * containers} is Docker's ({@link RunningContainers}), among Docker's
     * running containers.
     *
     * @param node this node's UUID ({@link NodeIdentity#load})
     * @param pool where volumes are stored
     * @param containers where their Docker data containers are made
     */
    public VolumeService(UUID node, StoragePool pool, DataContainers containers) {
        this(node, pool, containers, VolumeLocks.defaults());
    }

    /** @param locks the locks every operation that changes or mounts a volume takes */
    public VolumeService(UUID node, StoragePool pool, DataContainers containers, VolumeLocks locks) {
        this(node, pool, containers, locks, containers instanceof RunningContainers r ? r : RunningContainers.NONE,
            ProcMountTable.system());
    }

    /**
     * @param running the running containers that may use a volume, and stop when asked
     * @param mounts the mounts of every mount namespace
     */
    public VolumeService(UUID node, StoragePool pool, DataContainers containers, RunningContainers running,
                         MountTable mounts) {
        this(node, pool, containers, VolumeLocks.defaults(), running, mounts);
    }

    /** All of the above. */
    public VolumeService(UUID node, StoragePool pool, DataContainers containers, VolumeLocks locks,
                         RunningContainers running, MountTable mounts) {
        this.node = Objects.requireNonNull(node, "node");
        this.pool = Objects.requireNonNull(pool, "pool");
        this.containers = Objects.requireNonNull(containers, "containers");
        this.locks = Objects.requireNonNull(locks, "locks");
        this.running = Objects.requireNonNull(running, "running");
        this.usage = new UsageProbe(pool, running, Objects.requireNonNull(mounts, "mounts"));
    }

    /**
     * Takes the lock of volume {@code name} in this pool, whoever owns it,
     * for {@code operation} (named to whoever waits for it in vain); a
     * thread that holds it may take it again. Every method here that changes
     * or mounts a volume takes it; push, handoff, the plugin and the
     * receiving end of a push take it around all their steps.
     *
     * @throws VolumeBusy naming the holder when another holds it beyond the wait
     */
    public VolumeLocks.Held lock(VolumeName name, String operation) {
        return locks.lock(pool.name(), Objects.requireNonNull(name, "name"), operation);
    }

    /** This node's UUID: the owner of the volumes it creates. */
    public UUID node() {
        return node;
    }

    /**
     * Creates a volume this node owns: its file system, mounted, with the
     * mount path recorded, and its data container. If the container cannot be
     * made (missing image, no daemon, name taken), the file system is
     * destroyed again before the error is thrown.
     *
     * @throws InvalidVolumeName when the name is too long for this pool
     * @throws VolumeExists when this node has a volume of that name
     */
    public Volume create(VolumeName name, Path mountPath) {
        Objects.requireNonNull(name, "name");
        Path path = MountPaths.of(Objects.requireNonNull(mountPath, "mountPath").toString());
        name.checkFits(pool.name());
        try (VolumeLocks.Held held = lock(name, "create")) {
            VolumeId id = new VolumeId(node, name);
            checkFirst(id);
            try (FailPoints.Scope s = FailPoints.scope("create")) {
                Filesystem fs = pool.create(id, path, false);
                try {
                    containers.create(name, fs.mountpoint(), path);
                    FailPoints.hit(FailPoints.CREATE_CONTAINER_AFTER);
                } catch (RuntimeException | Error e) {
                    try {
                        pool.destroy(id);
                        LOG.warn("creating {} failed at its data container ({}): its file system is destroyed again",
                            describe(id), e.toString());
                    } catch (RuntimeException undo) {
                        e.addSuppressed(undo);
                        LOG.warn("creating {} failed at its data container ({}), and destroying its file system again "
                            + "failed too ({}): 'flocker-volume destroy {}' removes it", describe(id), e.toString(),
                            undo.toString(), name.value());
                    }
                    throw e;
                }
                LOG.info("created {}, mounted at {}, with data container {} for {}", describe(id), fs.mountpoint(),
                    DataContainers.containerName(name), path);
                return Volume.of(fs, node);
            }
        }
    }

    /**
     * Creates a volume this node owns with storage properties, and with no
     * mount path and no data container: the kind Docker's volume plugin makes,
     * which containers get through {@code docker run -v NAME:/path}. It is
     * listed, pushed and destroyed like any other.
     *
     * @throws InvalidVolumeName when the name is too long for this pool
     * @throws VolumeExists when this node has a volume of that name
     */
    public Volume create(VolumeName name, VolumeProperties properties) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(properties, "properties");
        name.checkFits(pool.name());
        try (VolumeLocks.Held held = lock(name, "create")) {
            VolumeId id = new VolumeId(node, name);
            checkFirst(id);
            try (FailPoints.Scope s = FailPoints.scope("create")) {
                Filesystem fs = pool.create(id, null, false, properties);
                LOG.info("created {}, mounted at {}", describe(id), fs.mountpoint());
                return Volume.of(fs, node);
            }
        }
    }

    /** {@link #create(VolumeName, Path)} from text, each checked with a message naming it. */
    public Volume create(String name, String mountPath) {
        VolumeName n = VolumeName.of(name);
        return create(n, MountPaths.of(mountPath));
    }

    /** The volume {@code name} of node {@code owner}, or empty. */
    public Optional<Volume> get(UUID owner, VolumeName name) {
        return pool.get(new VolumeId(owner, name)).map(fs -> Volume.of(fs, node));
    }

    /** This node's volume {@code name}, or empty. */
    public Optional<Volume> get(VolumeName name) {
        return get(node, name);
    }

    /** Every volume in the pool, this node's and others', by name, then owner. */
    public List<Volume> list() {
        return pool.list().stream().map(fs -> Volume.of(fs, node))
            .sorted(Comparator.comparing((Volume v) -> v.name().value()).thenComparing(v -> v.owner().toString()))
            .toList();
    }

    /**
     * This node's volume {@code name}: the check before anything that
     * changes a volume (destroy, and pushing or handing it off).
     *
     * @throws NotOwner when only other nodes have a volume of that name
     * @throws VolumeNotFound when no node has
     */
    public Volume owned(VolumeName name) {
        Optional<Volume> mine = get(name);
        if (mine.isPresent()) return mine.get();
        List<UUID> owners = list().stream().filter(v -> v.name().equals(name)).map(Volume::owner).toList();
        if (!owners.isEmpty()) {
            throw new NotOwner("volume " + VolumeException.quote(name.value()) + " belongs to node "
                + owners.get(0) + (owners.size() > 1 ? " (and " + (owners.size() - 1) + " more)" : "")
                + ", not to this node (" + node + "): only its owner may change it");
        }
        throw new VolumeNotFound("volume " + VolumeException.quote(name.value()) + " does not exist on this node ("
            + node + ")");
    }

    /**
     * Refuses to receive a copy of a volume this node owns: its own copy is
     * the one that is written to.
     *
     * @throws NotOwner when {@code owner} is this node
     */
    public void checkReceivable(UUID owner, VolumeName name) {
        if (node.equals(owner)) {
            throw new NotOwner("refusing to receive volume " + VolumeException.quote(name.value()) + " of node " + owner
                + ": that is this node, which owns the volume and writes to it");
        }
    }

    /**
     * Destroys a volume this node owns: its data container, then its file
     * system with its snapshots. A volume in use ({@link #usage}; mounts in
     * other namespaces given {@link #PASSING} to go) is refused first,
     * naming its users, with nothing changed; if the file system
     * still cannot go, the container is made again, so the volume stays
     * whole.
     *
     * @throws NotOwner when the volume belongs to another node
     * @throws VolumeNotFound when there is no such volume
     * @throws VolumeBusy when it is in use
     */
    public void destroy(VolumeName name) {
        try (VolumeLocks.Held held = lock(name, "destroy")) {
            checkFirst(new VolumeId(node, name));
            Volume v = owned(name);
            VolumeUsage users = beyondPassingCopies(v, false);
            if (!users.isEmpty()) throw busy("cannot destroy volume", v, users, "stop them first");
            try (FailPoints.Scope s = FailPoints.scope("destroy")) {
                // Marked first: a destroy killed after its container went is told from a create killed before its
                // container came, and repair finishes it.
                pool.setPending(v.id(), DESTROYING);
                FailPoints.hit(FailPoints.DESTROY_MARK_AFTER);
                try {
                    withoutContainer(v, "destroying", () -> {
                        pool.destroy(v.id());
                        return null;
                    });
                } catch (RuntimeException | Error e) {
                    try {
                        if (pool.get(v.id()).isPresent()) pool.setPending(v.id(), null);
                    } catch (RuntimeException undo) {
                        e.addSuppressed(undo);
                        LOG.warn("destroying {} failed ({}), and clearing its destroy mark failed too ({}): the next "
                            + "command on it finishes the destroy", describe(v.id()), e.toString(), undo.toString());
                    }
                    throw e;
                }
                LOG.info("destroyed {}", describe(v.id()));
            }
        }
    }

    /**
     * The snapshots of the volume {@code name} of node {@code owner}, oldest
     * first; empty when this node has no such volume (the receiving side of
     * a push then needs everything).
     */
    public List<String> snapshots(UUID owner, VolumeName name) {
        try {
            return pool.snapshots(new VolumeId(owner, name));
        } catch (VolumeNotFound e) {
            return List.of();
        }
    }

    // ---- moving volumes between nodes ------------------------------------

    /**
     * Snapshots that push makes start with this; they are told from a user's
     * own by {@link #PUSH_TAG}, not by their name.
     */
    public static final String PUSH_SNAPSHOT_PREFIX = "flocker-";

    /**
     * The user property that marks push snapshots, set as they are taken (to
     * the destination node's UUID) or received (to {@value #RECEIVED_TAG}):
     * only those are ever pruned.
     */
    public static final String PUSH_TAG = "io.flocker:push";

    /** {@link #PUSH_TAG}'s value on snapshots a receiver took in. */
    public static final String RECEIVED_TAG = "received";

    /** What this node holds of another node's volume: what a sender needs to know before a push. */
    public ReceiveState receiveState(UUID owner, VolumeName name) {
        VolumeId id = new VolumeId(owner, name);
        Optional<Filesystem> fs = pool.get(id);
        Optional<String> token = pool.resumeToken(id);
        Holder newest = newest(name);
        if (fs.isEmpty()) {
            return new ReceiveState(false, List.of(), token, 0, Optional.ofNullable(newest).map(h -> h.id().owner()),
                newest == null ? 0 : newest.epoch(), Map.of());
        }
        Map<String, Long> guids = pool.snapshotGuids(id);
        return new ReceiveState(true, List.copyOf(guids.keySet()), token, pool.epoch(id),
            Optional.ofNullable(newest).map(h -> h.id().owner()), newest == null ? 0 : newest.epoch(), guids);
    }

    /** A volume's file system here with its epoch. */
    private record Holder(VolumeId id, long epoch) {}

    /** Of the file systems of volume {@code name} here, whoever owns them, the one with the highest epoch, or null. */
    private Holder newest(VolumeName name) {
        Holder best = null;
        for (Filesystem fs : pool.list()) {
            if (!fs.id().name().equals(name)) continue;
            long e = pool.epoch(fs.id());
            // Equal epochs: the owner's own copy is the truth over one it received.
            if (best == null || e > best.epoch() || e == best.epoch() && fs.id().owner().equals(node)) {
                best = new Holder(fs.id(), e);
            }
        }
        return best;
    }

    /** The epoch of this node's volume {@code name}: the owner changes it has seen. */
    public long epoch(VolumeName name) {
        return pool.epoch(owned(name).id());
    }

    /** {@link #receive(UUID, VolumeName, Path, InputStream, int, long)} from a sender that says no epoch. */
    public String receive(UUID owner, VolumeName name, Path mountPath, InputStream in, int keep) {
        return receive(owner, name, mountPath, in, keep, -1);
    }

    /**
     * Receives a send stream of node {@code owner}'s volume {@code name}: the
     * first one makes a read-only, mounted copy, later ones add snapshots,
     * and the copy records the sender's {@code epoch}. A null {@code
     * mountPath} records none: the copy of a volume Docker's plugin made,
     * which gets no data container when it is acquired. Afterwards only the
     * newest {@code keep} push snapshots are kept.
     *
     * @param epoch the sender's epoch of the volume; -1 when it said none (nothing is checked or recorded)
     * @return the snapshot received
     * @throws NotOwner when {@code owner} is this node, or the sender is a former owner: this node owns
     *     the volume, or holds a copy of a newer owner's (a higher epoch)
     * @throws StreamRefused when the stream is bad, truncated or does not fit (the copy is as it was)
     * @throws IllegalArgumentException when {@code keep} is below 1, before anything is read
     */
    public String receive(UUID owner, VolumeName name, Path mountPath, InputStream in, int keep, long epoch) {
        // Checked before a byte is read: pruning afterwards would refuse it with the data already in.
        if (keep < 1) throw new IllegalArgumentException("keep at least one snapshot (the next push starts from it), not " + keep);
        checkReceivable(owner, name);
        try (VolumeLocks.Held held = lock(name, "receive")) {
            VolumeId id = new VolumeId(owner, name);
            checkFirst(id);
            if (epoch >= 0) checkNotStale(owner, name, epoch);
            try (FailPoints.Scope s = FailPoints.scope("receive")) {
                String snapshot = pool.receive(id, mountPath == null ? null : MountPaths.of(mountPath.toString()), in);
                // The sender's tag does not travel with the stream: this side marks what it took in. Killed
                // before this, the snapshot stays untagged, so is never pruned: one snapshot kept, nothing lost.
                pool.tagSnapshot(id, snapshot, PUSH_TAG, RECEIVED_TAG);
                if (epoch >= 0) pool.setEpoch(id, epoch);
                LOG.info("received snapshot {} of {} from its owner{}", snapshot, describe(id),
                    epoch >= 0 ? " (epoch " + epoch + ")" : "");
                prune(id, keep);
                return snapshot;
            }
        }
    }

    private void checkNotStale(UUID owner, VolumeName name, long epoch) {
        Holder newest = newest(name);
        if (newest == null || newest.id().owner().equals(owner)) return;
        if (newest.id().owner().equals(node) || newest.epoch() > epoch) {
            throw new NotOwner("refusing the push of volume " + VolumeException.quote(name.value()) + " from node "
                + owner + " (epoch " + epoch + "): " + (newest.id().owner().equals(node) ? "this node (" + node + ")"
                : "node " + newest.id().owner()) + " owns it since epoch " + newest.epoch()
                + ", so node " + owner + " is a former owner; its copy is stale");
        }
    }

    /**
     * Takes over another node's volume whose copy this node holds: the copy
     * becomes this node's, writable, mounted, with its data container, its
     * epoch one higher. When the container cannot be made, the copy goes
     * back to the other node's name, read-only, and the error is thrown: the
     * volume has one owner either way. Acquiring what this node already
     * took over (its copy of the other node's is gone, its own is there)
     * succeeds and changes nothing but what repair puts right: a takeover
     * whose reply was lost can be asked again.
     *
     * @throws NotOwner when {@code owner} is this node
     * @throws VolumeNotFound when this node holds no copy
     * @throws VolumeExists when this node already owns a volume of that name and holds the copy too
     */
    public Volume acquire(UUID owner, VolumeName name) {
        return takeOver(owner, name, "acquire");
    }

    private Volume takeOver(UUID owner, VolumeName name, String operation) {
        checkReceivable(owner, name);
        try (VolumeLocks.Held held = lock(name, operation)) {
            VolumeId theirs = new VolumeId(owner, name);
            VolumeId mine = new VolumeId(node, name);
            checkFirst(theirs, mine);
            if (pool.get(theirs).isEmpty()) {
                Optional<Volume> done = get(name);
                if (done.isPresent()) return done.get();
            }
            try (FailPoints.Scope s = FailPoints.scope(operation)) {
                Filesystem fs = pool.changeOwner(theirs, mine, false);
                try {
                    if (fs.mountPath() != null) containers.create(name, fs.mountpoint(), fs.mountPath());
                } catch (RuntimeException | Error e) {
                    try {
                        pool.changeOwner(mine, theirs, true);
                        LOG.warn("{} of volume {} from node {} failed at its data container ({}): the copy is node "
                            + "{}'s again, read-only", operation, VolumeException.quote(name.value()), owner,
                            e.toString(), owner);
                    } catch (RuntimeException undo) {
                        e.addSuppressed(undo);
                        LOG.warn("{} of volume {} from node {} failed at its data container ({}), and giving the copy "
                            + "back failed too ({}): this node owns it without a container; 'flocker-volume repair {}' "
                            + "makes the container", operation, VolumeException.quote(name.value()), owner,
                            e.toString(), undo.toString(), name.value());
                    }
                    throw e;
                }
                LOG.info("{} of volume {} from node {}: this node ({}) owns it now, mounted at {}", operation,
                    VolumeException.quote(name.value()), owner, node, fs.mountpoint());
                return Volume.of(fs, node);
            }
        }
    }

    /**
     * Gives up this node's volume {@code name} to node {@code newOwner}
     * (whose copy must be complete): the data container goes, and the
     * volume's file system becomes the read-only copy of the new owner's
     * volume. {@link #reclaim} undoes it.
     */
    public Volume release(VolumeName name, UUID newOwner) {
        try (VolumeLocks.Held held = lock(name, "release")) {
            Volume v = owned(name);
            if (newOwner.equals(node)) throw new NotOwner("cannot hand volume " + VolumeException.quote(name.value())
                + " over to this node itself");
            try (FailPoints.Scope s = FailPoints.scope("release")) {
                Volume released = withoutContainer(v, "releasing",
                    () -> Volume.of(pool.changeOwner(v.id(), new VolumeId(newOwner, name), true), node));
                LOG.info("released {} to node {}: the copy here is node {}'s, read-only", describe(v.id()), newOwner,
                    newOwner);
                return released;
            }
        }
    }

    // Removes v's data container, then does the storage step; if that fails,
    // the container is made again, so that neither is left without the other.
    private <T> T withoutContainer(Volume v, String doing, Supplier<T> storageStep) {
        boolean removed = containers.remove(v.name());
        FailPoints.step("container.after");
        try {
            return storageStep.get();
        } catch (RuntimeException | Error e) {
            if (removed && v.mountPath() != null) {
                try {
                    containers.create(v.name(), v.mountpoint(), v.mountPath());
                    LOG.warn("{} {} failed ({}): its data container is made again", doing, describe(v.id()),
                        e.toString());
                } catch (RuntimeException undo) {
                    e.addSuppressed(undo);
                    LOG.warn("{} {} failed ({}), and making its data container again failed too ({}): "
                        + "'flocker-volume repair {}' makes it", doing, describe(v.id()), e.toString(), undo.toString(),
                        v.name().value());
                }
            }
            throw e;
        }
    }

    /** Takes back a volume this node {@link #release}d to {@code from} that the other node did not take. */
    public Volume reclaim(UUID from, VolumeName name) {
        return takeOver(from, name, "reclaim");
    }

    /**
     * Who uses this node's volume {@code name} besides its own mount: running
     * containers, the volume plugin's users, mounts in other namespaces.
     */
    public VolumeUsage usage(VolumeName name) {
        return usage.of(owned(name));
    }

    /**
     * Stops every write to this node's volume (before a final push): {@code
     * readonly=on} on the file system itself, which every mount of it in
     * every mount namespace obeys at once. It stays mounted; a write from
     * now on fails with EROFS. A volume in use is refused, naming its users,
     * with nothing changed; a mount in another namespace is a user only when
     * it is still there after {@link #PASSING}. Same as {@code stopWrites(name, false, m -> {})}.
     *
     * @return false when it was read-only already
     * @throws VolumeBusy naming the users when it is in use
     */
    public boolean stopWrites(VolumeName name) {
        return stopWrites(name, false, m -> {});
    }

    /**
     * Like {@link #stopWrites(VolumeName)}; with {@code stopContainers}, the
     * running containers that use the volume are stopped first (each one
     * told to {@code told} and logged), and the other users are still
     * refused. Users that are not containers are checked before any
     * container is stopped, so such a refusal changes nothing either; the
     * plugin's users, which Docker forgets when their containers stop, are
     * given {@link #SETTLE} to go.
     *
     * @throws VolumeBusy naming the users that are left
     */
    public boolean stopWrites(VolumeName name, boolean stopContainers, Consumer<String> told) {
        try (VolumeLocks.Held held = lock(name, "stop writes to")) {
            Volume v = owned(name);
            VolumeUsage users = beyondPassingCopies(v, stopContainers);
            if (!users.isEmpty()) {
                boolean othersThanContainers = !users.mounts().isEmpty()
                    || (!users.pluginUsers().isEmpty() && users.containers().isEmpty());
                if (!stopContainers || othersThanContainers) {
                    throw busy("cannot stop writes to volume", v, users, stopContainers ? "stop them first"
                        : "stop them first, or let the handoff stop the containers (--stop-containers)");
                }
                List<String> stopped = new ArrayList<>();
                for (RunningContainers.Container c : users.containers()) {
                    running.stop(c, STOP_GRACE);
                    stopped.add(c.describe());
                    String m = "stopped container " + c.describe() + ", which used volume "
                        + VolumeException.quote(name.value());
                    LOG.info(m);
                    told.accept(m);
                }
                users = settle(v);
                if (!users.isEmpty()) {
                    throw busy("stopped " + String.join(", ", stopped) + " (they stay stopped), but cannot stop writes "
                        + "to volume", v, users, "stop them first");
                }
            }
            boolean changed = pool.setReadOnly(v.id(), true);
            if (changed) LOG.info("stopped writes to {}: it is read-only", describe(v.id()));
            return changed;
        }
    }

    // After its containers stopped, Docker tells the plugin (Unmount) and its namespaces go: wait for that, bounded.
    private VolumeUsage settle(Volume v) {
        return probeWhile(v, settle, users -> !users.isEmpty());
    }

    // Mounts in other namespaces may go by themselves; a container or a plugin user does not, so with one
    // that refuses anyway there is nothing to wait for, unless the containers are to be stopped.
    private VolumeUsage beyondPassingCopies(Volume v, boolean containersWillStop) {
        return probeWhile(v, passing, users -> !users.mounts().isEmpty()
            && (containersWillStop || users.containers().isEmpty() && users.pluginUsers().isEmpty()));
    }

    private VolumeUsage probeWhile(Volume v, Duration bound, Predicate<VolumeUsage> waiting) {
        long end = System.nanoTime() + bound.toNanos();
        VolumeUsage users = usage.of(v);
        while (waiting.test(users) && System.nanoTime() < end) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            users = usage.of(v);
        }
        return users;
    }

    private static VolumeBusy busy(String what, Volume v, VolumeUsage users, String advice) {
        return new VolumeBusy(what + " " + VolumeException.quote(v.name().value()) + ": it is in use by "
            + users.describe() + "; " + advice, null);
    }

    /**
     * Mounts every volume in the pool that is not mounted (after a restart,
     * or a command that stopped half-way): volumes stay mounted for their
     * whole life, so that their path is always the dataset. A volume that
     * cannot be mounted is logged and skipped.
     *
     * @return the volumes mounted now
     */
    public List<VolumeId> mountAll() {
        List<VolumeId> mounted = new ArrayList<>();
        for (Filesystem fs : pool.list()) {
            try (VolumeLocks.Held held = lock(fs.id().name(), "mount")) {
                if (pool.mount(fs.id())) {
                    mounted.add(fs.id());
                    LOG.info("mounted volume {} of node {}, which was not mounted", fs.id().name().value(), fs.id().owner());
                }
            } catch (VolumeException e) {
                LOG.warn("cannot mount volume {} of node {}: {}", fs.id().name().value(), fs.id().owner(), e.getMessage());
            }
        }
        return mounted;
    }

    /** Makes this node's volume writable again after {@link #stopWrites}. */
    public boolean resumeWrites(VolumeName name) {
        try (VolumeLocks.Held held = lock(name, "resume writes to")) {
            VolumeId id = owned(name).id();
            boolean changed = pool.setReadOnly(id, false);
            if (changed) LOG.info("resumed writes to {}: it is writable again", describe(id));
            return changed;
        }
    }

    // ---- repair -------------------------------------------------------------

    /**
     * Puts every file system of volume {@code name} here right after whatever
     * interrupted an operation on it (a kill, a lost connection), whoever
     * owns it: see {@link #repair()}.
     *
     * @return one line per action taken; empty when all was right
     */
    public List<String> repair(VolumeName name) {
        List<String> done = new java.util.ArrayList<>();
        try (VolumeLocks.Held held = lock(name, "repair")) {
            for (Filesystem fs : pool.list()) if (fs.id().name().equals(name)) done.addAll(repairOne(fs.id()));
        }
        done.addAll(forgetGoneUsers(new VolumeId(node, name)));
        return done;
    }

    /**
     * Puts every volume here right. The name is the owner: a file system
     * named for this node is made writable, one named for another node
     * read-only; each gets the mountpoint its name gives and is mounted
     * (save a first receive still waiting for the rest of its stream, which
     * the next push resumes). A destroy begun is finished; a volume of this
     * node with a mount path gets its data container if it has none (a
     * create or takeover killed before making it; a release killed before
     * its rename). The volume plugin's users of a volume that no container
     * Docker knows has are forgotten (their unmounts never came).
     *
     * <p>Making our own name writable is safe even for a volume a handoff
     * made read-only and was killed in: the other node takes a volume over
     * only when the handoff tells it to, after this node's rename to the other
     * node's name, so while the name is still ours no other node owns it.
     *
     * @return one line per action taken; empty when all was right
     */
    public List<String> repair() {
        List<String> done = new java.util.ArrayList<>();
        for (Filesystem fs : pool.list()) {
            try (VolumeLocks.Held held = lock(fs.id().name(), "repair")) {
                if (pool.get(fs.id()).isPresent()) done.addAll(repairOne(fs.id()));
            }
            try {
                done.addAll(forgetGoneUsers(fs.id()));
            } catch (DockerException e) {
                // the users are only kept; the other volumes still get what needs no Docker
                LOG.warn("kept the volume plugin users of {}: cannot ask Docker whether their containers exist: {}",
                    describe(fs.id()), e.getMessage());
            }
        }
        return done;
    }

    private List<String> repairOne(VolumeId id) {
        List<String> done = new java.util.ArrayList<>();
        boolean mine = id.owner().equals(node);
        String vol = "volume " + VolumeException.quote(id.name().value()) + " of node " + id.owner();
        if (mine && DESTROYING.equals(pool.pending(id))) {
            containers.remove(id.name());
            pool.destroy(id);
            done.add(vol + ": finished destroying it (a destroy had begun)");
        } else {
            done.addAll(pool.repair(id, mine));
            if (mine) {
                Optional<Filesystem> fs = pool.get(id);
                if (fs.isPresent() && fs.get().mountPath() != null && !containers.exists(id.name())) {
                    containers.create(id.name(), fs.get().mountpoint(), fs.get().mountPath());
                    done.add(vol + ": made its data container " + DataContainers.containerName(id.name()));
                }
            }
        }
        for (String line : done) LOG.info("repaired {}", line);
        return done;
    }

    /**
     * Forgets the volume plugin's users of this node's volume when Docker
     * knows no container that has the volume: their unmounts never came
     * (the plugin was down when the containers went), and such a record
     * would block {@code docker volume rm} for good. A mount is only ever
     * for a container that has the volume, stopped or running, so no live
     * user is forgotten, provided that this Docker daemon is the plugin's only
     * client. (Not part of {@link #check}: a push does not wait for Docker.)
     *
     * @throws io.flocker.volume.docker.DockerUnavailable when Docker cannot be asked
     */
    private List<String> forgetGoneUsers(VolumeId id) {
        if (!id.owner().equals(node) || pool.get(id).isEmpty()) return List.of();
        Set<String> users = pool.users(id);
        // Docker is asked without the volume's lock: a plugin mount waits for that lock for less than Docker may take.
        if (users.isEmpty() || running.anyHasVolume(id.name())) return List.of();
        try (VolumeLocks.Held held = lock(id.name(), "repair")) {
            if (pool.get(id).isEmpty()) return List.of();
            // Only the users read before asking: one a mount added since is for a container Docker has.
            for (String u : users) pool.removeUser(id, u);
        }
        String line = describe(id) + ": forgot its " + users.size() + " volume plugin user(s), whose containers are gone "
            + "(Docker knows no container that has the volume; their unmounts never came)";
        LOG.info("repaired {}", line);
        return List.of(line);
    }

    /**
     * The check a push or handoff of this node's volume {@code name} starts
     * with: that one volume put right ({@link #repair()}), each action logged.
     */
    public void check(VolumeName name) {
        try (VolumeLocks.Held held = lock(name, "repair")) {
            checkFirst(new VolumeId(node, name));
        }
    }

    /** The check every changing operation starts with: the volumes it touches put right, each action logged. */
    private void checkFirst(VolumeId... ids) {
        for (VolumeId id : ids) {
            if (pool.get(id).isEmpty()) continue;
            repairOne(id);
        }
    }

    /** How log lines name a volume: its name and its owner. */
    private static String describe(VolumeId id) {
        return "volume " + VolumeException.quote(id.name().value()) + " of node " + id.owner();
    }

    /** The storage pool: what push sends from. */
    public StoragePool pool() {
        return pool;
    }

    /**
     * Keeps the newest {@code keep} push snapshots of the volume (those
     * tagged {@link #PUSH_TAG}), destroying older ones; a user's snapshots,
     * whatever their names, are never touched. Each destination's next
     * incremental starts from its bookmark, not from these.
     */
    public void prune(VolumeId id, int keep) {
        if (keep < 1) throw new IllegalArgumentException("keep at least one snapshot (the next push starts from it)");
        try (VolumeLocks.Held held = lock(id.name(), "prune")) {
            List<String> ours = List.copyOf(pool.taggedSnapshots(id, PUSH_TAG).keySet());
            if (ours.size() > keep) {
                List<String> old = ours.subList(0, ours.size() - keep);
                pool.destroySnapshots(id, old);
                LOG.info("pruned {} push snapshot(s) of {}, keeping the newest {}: {}", old.size(), describe(id), keep,
                    String.join(", ", old));
            }
        }
    }
}
