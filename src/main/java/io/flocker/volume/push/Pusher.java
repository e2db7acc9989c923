package io.flocker.volume.push;

import io.flocker.volume.FailPoints;
import io.flocker.volume.NotOwner;
import io.flocker.volume.ReceiveState;
import io.flocker.volume.StoragePool;
import io.flocker.volume.StreamRefused;
import io.flocker.volume.Volume;
import io.flocker.volume.VolumeBusy;
import io.flocker.volume.VolumeException;
import io.flocker.volume.VolumeId;
import io.flocker.volume.VolumeName;
import io.flocker.volume.VolumeLocks;
import io.flocker.volume.VolumeService;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Push and handoff: moving a volume's data, and then its ownership, to
 * another node. The stream goes from lzc_send through a pipe and one buffer
 * straight into the connection; the other side receives it into a read-only
 * copy.
 *
 * <p>A push snapshots the volume, asks the other side what it has, and sends
 * incrementally from the other side's newest snapshot, found here as a
 * snapshot or as that destination's bookmark ({@link PushBases}); everything
 * when they share none. A push that broke off earlier is first finished from
 * the other side's resume token. Afterwards the destination's bookmark moves
 * to the snapshot sent, and both sides keep only the newest {@link
 * PushOptions#keep()} push snapshots, known by their tag ({@link
 * VolumeService#PUSH_TAG}), so a user's own snapshots stay whatever their
 * names.
 *
 * <p>Push and handoff hold the volume's lock ({@link VolumeService#lock})
 * throughout: a second push of the volume, or a plugin mount, waits.
 *
 * <p>Safe to use from several threads: it keeps no state between calls.
 * Pushes of different volumes run at once; each needs a {@link RemoteNode}
 * of its own, which is not shared between threads.
 *
 * <p>Each push and handoff logs one INFO line (volume, owner, peer, bytes,
 * time; for a handoff how long writes were stopped) through SLF4J, and a
 * WARN line for each step that failed half-way and what was undone.
 */
public final class Pusher {
    private static final Logger LOG = LoggerFactory.getLogger(Pusher.class);
    private static final DateTimeFormatter STAMP =
        DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final VolumeService service;
    private final Clock clock;

    public Pusher(VolumeService service) {
        this(service, Clock.systemUTC());
    }

    Pusher(VolumeService service, Clock clock) {
        this.service = service;
        this.clock = clock;
    }

    /**
     * Pushes this node's volume {@code name} to {@code remote}.
     *
     * @throws io.flocker.volume.NotOwner when the volume is not this node's
     * @throws RemoteCommandFailed with the receiver's own error when it refused the stream
     */
    public PushResult push(VolumeName name, RemoteNode remote, PushOptions opts) {
        try (VolumeLocks.Held held = service.lock(name, "push to " + remote.describe())) {
            service.check(name);
            return pushOwned(name, remote, opts);
        }
    }

    // Without the check first: a handoff's final push sends a volume it made read-only on purpose.
    private PushResult pushOwned(VolumeName name, RemoteNode remote, PushOptions opts) {
        long started = System.nanoTime();
        Volume v = service.owned(name);
        VolumeId id = v.id();
        Path mountPath = v.mountPath(); // null for a volume Docker's plugin made: the copy gets none either
        StoragePool pool = service.pool();
        TransferListener l = opts.listener();
        String[] sent = new String[2]; // snapshot, from
        boolean[] resuming = new boolean[1];
        long epoch = service.epoch(name);
        long first = remote.receive(id, mountPath, opts.keep(), epoch, state -> {
            checkNotSelf(remote);
            checkNotFormerOwner(name, remote, epoch, state);
            if (state.resumeToken().isPresent()) {
                // A push broke off earlier: finish it first, then send what is new.
                resuming[0] = true;
                String token = state.resumeToken().get();
                l.started("finishing the broken push of " + name.value(), 0);
                return out -> {
                    try {
                        checkResumable(id, token, remote);
                        return pool.sendResume(id, token, out, l::progress);
                    } catch (StreamRefused cannot) {
                        // Its snapshot is gone here, or the token asks for what this node would not send it:
                        // send afresh; the receiver drops a partial state that a new stream does not continue.
                        LOG.warn("push of volume {} to {}: not finishing the broken push: {}; sending afresh",
                            name.value(), remote.describe(), cannot.getMessage());
                        resuming[0] = false;
                        return plan(id, name, state, remote, l, sent).writeTo(out);
                    }
                };
            }
            return plan(id, name, state, remote, l, sent);
        });
        l.finished(first);
        long resumed = 0, bytes = first;
        if (resuming[0]) {
            resumed = first;
            bytes = remote.receive(id, mountPath, opts.keep(), epoch, state -> plan(id, name, state, remote, l, sent));
            l.finished(bytes);
        }
        FailPoints.hit(FailPoints.PUSH_STREAM_AFTER);
        // Only now does the destination surely have it: its base moves on, then snapshots may go.
        PushBases.record(pool, id, remote.nodeId(), sent[0]);
        service.prune(id, opts.keep());
        PushResult r = new PushResult(sent[0], sent[1], bytes, resumed);
        LOG.info("pushed volume {} of node {} to {} (node {}): snapshot {}, {}, {} bytes{} in {}",
            VolumeException.quote(name.value()), id.owner(), remote.describe(), remote.nodeId(), r.snapshot(),
            r.incremental() ? "changes since " + r.from() : "in full", r.bytes(),
            r.resumedBytes() > 0 ? " (and " + r.resumedBytes() + " finishing a broken push)" : "", seconds(started));
        return r;
    }

    /**
     * A token may continue only the newest push snapshot this node took for
     * a push to that very node: a receiver that names another snapshot (a
     * user's, an older one, one taken for another node) would be given data
     * it was never sent.
     */
    private void checkResumable(VolumeId id, String token, RemoteNode remote) {
        StoragePool pool = service.pool();
        String snapshot = pool.resumedSnapshot(id, token);
        String node = remote.nodeId().toString();
        // The newest only: a broken push was sending the newest taken for that node, and a receiver that
        // claims another node's UUID gets no older data than that node's last push would have had.
        String newestForIt = null;
        for (var e : pool.taggedSnapshots(id, VolumeService.PUSH_TAG).entrySet()) {
            if (e.getValue().equals(node)) newestForIt = e.getKey();
        }
        if (!snapshot.equals(newestForIt)) {
            throw new StreamRefused("the receiver's partial stream is of snapshot " + VolumeException.quote(snapshot)
                + ", which is not the newest this node took for a push to node " + node);
        }
    }

    /**
     * Checked once the receiver has said who it is (its announcement names
     * it, which saves a round trip to ask): a node's own pool is no
     * destination, whatever the address looked like.
     */
    private void checkNotSelf(RemoteNode remote) {
        UUID there = remote.nodeId();
        if (there.equals(service.node())) {
            throw new VolumeException(remote.describe() + " is this node (" + there + "): nothing to send it");
        }
    }

    /** A node that holds a newer owner's volume of that name tells this one it is a former owner: send nothing. */
    private void checkNotFormerOwner(VolumeName name, RemoteNode remote, long epoch, ReceiveState state) {
        UUID me = service.node();
        if (state.newestOwner().isEmpty() || state.newestOwner().get().equals(me)) return;
        if (state.newestEpoch() > epoch) {
            throw new NotOwner("not pushing volume " + VolumeException.quote(name.value()) + " to " + remote.describe()
                + ": node " + state.newestOwner().get() + " owns it since epoch " + state.newestEpoch()
                + " and this node's copy is at epoch " + epoch + ": this node is a former owner");
        }
    }

    /** Snapshots the volume and picks the stream for what the receiver holds. */
    private RemoteNode.StreamSource plan(VolumeId id, VolumeName name, ReceiveState state, RemoteNode remote,
                                         TransferListener l, String[] sent) {
        StoragePool pool = service.pool();
        PushBases.Base base = PushBases.pick(pool, id, state);
        String from = base == null ? null : base.from();
        if (from == null && state.exists()) {
            throw new VolumeException(remote.describe() + " has a copy of volume " + VolumeException.quote(name.value())
                + " that shares no snapshot with this node's; remove that copy there before pushing again");
        }
        String snapshot = newSnapshot(id, pool, remote.nodeId());
        sent[0] = snapshot;
        sent[1] = base == null ? null : base.snapshot();
        l.started((from == null ? "sending " : "sending changes of ") + name.value(), pool.estimateSend(id, snapshot, from));
        return out -> pool.send(id, snapshot, from, out, l::progress);
    }

    /**
     * Hands this node's volume {@code name} over to {@code remote}: pushes
     * (while the volume is still in use), stops writes, pushes what changed
     * meanwhile, gives up the local copy, and has the other node take it
     * over. Exactly one node owns the volume at the end, also when a step
     * fails; the error says where it stopped and who owns it.
     */
    public PushResult handoff(VolumeName name, RemoteNode remote, PushOptions opts) {
        try (VolumeLocks.Held held = service.lock(name, "hand off to " + remote.describe())) {
            service.check(name);
            service.owned(name);
            String who = "handoff of volume " + VolumeException.quote(name.value()) + " to " + remote.describe();
            // The first push learns who the other node is (and refuses this one) before anything changes here.
            pushOwned(name, remote, opts);
            UUID newOwner = remote.nodeId();
            FailPoints.hit(FailPoints.HANDOFF_PUSH_AFTER);
            try {
                service.stopWrites(name, opts.stopContainers(), opts.listener()::note);
            } catch (VolumeBusy e) {
                throw new HandoffFailed(who + " stopped before anything changed: " + e.getMessage()
                    + "; this node still owns it", e);
            }
            FailPoints.hit(FailPoints.HANDOFF_READONLY_AFTER);
            long stopped = System.nanoTime();
            PushResult last;
            try {
                last = pushOwned(name, remote, opts);
                FailPoints.hit(FailPoints.HANDOFF_FINAL_PUSH_AFTER);
                service.release(name, newOwner);
            } catch (RuntimeException e) {
                boolean writable = resumeWrites(name, e);
                LOG.warn("{} stopped at the final push ({}): this node still owns it{}", who, e.toString(),
                    writable ? ", writable again" : ", but making it writable again failed; "
                        + "'flocker-volume repair " + name.value() + "' does");
                throw new HandoffFailed(who + " stopped at the final push: " + e.getMessage() + "; this node still owns it", e);
            }
            FailPoints.hit(FailPoints.HANDOFF_RELEASE_AFTER);
            // Released here: from now on finishing the move is safer than stopping it, so an interrupt waits.
            boolean[] interrupted = {false};
            try {
                takeOverThere(name, remote, newOwner, who, interrupted);
            } finally {
                if (interrupted[0] || Thread.interrupted()) Thread.currentThread().interrupt();
            }
            FailPoints.hit(FailPoints.HANDOFF_ACQUIRE_AFTER);
            LOG.info("handed volume {} off to {} (node {}), which owns it now; writes were stopped for {}",
                VolumeException.quote(name.value()), remote.describe(), newOwner, seconds(stopped));
            return last;
        }
    }

    /**
     * The last step of a handoff, after this node released the volume: the
     * other node takes it over. Its outcome is acted on only when known. A
     * failure the other side reported (an exit status) with its copy still
     * not its own is taken back here; any other outcome (the connection
     * lost, no exit status) is asked about on a new connection: owning it
     * there is success, not owning it there gets the takeover asked once
     * more (taking over is idempotent). Unreachable, the volume stays
     * released here, read-only, and the error says how to finish.
     */
    private void takeOverThere(VolumeName name, RemoteNode remote, UUID newOwner, String who, boolean[] interrupted) {
        VolumeId ours = new VolumeId(service.node(), name);
        RuntimeException failed;
        try {
            calm(interrupted);
            remote.acquire(ours);
            return;
        } catch (RuntimeException e) {
            failed = e;
        }
        for (int asked = 0; ; asked++) {
            calm(interrupted);
            Boolean owns = ownsThere(remote, newOwner, name, failed);
            if (owns == null) {
                HandoffFailed unknown = unknownOutcome(who, name, newOwner, failed);
                LOG.warn("{}", unknown.getMessage());
                throw unknown;
            }
            if (owns) {
                // It took the volume over and the reply was lost, or it failed after its rename: once more
                // finishes whatever is left (acquiring what it owns succeeds after putting it right).
                LOG.info("{}: {} owns the volume although its takeover reported {}", who, remote.describe(),
                    failed.getMessage());
                try {
                    calm(interrupted);
                    remote.acquire(ours);
                } catch (RuntimeException e) {
                    LOG.warn("{}: finishing the takeover there failed: {} ('flocker-volume repair {}' there finishes "
                        + "it)", who, e.getMessage(), name.value());
                }
                return;
            }
            if (known(failed) || asked > 0) break;
            try {
                calm(interrupted);
                remote.acquire(ours);
                return;
            } catch (RuntimeException e) {
                failed = e;
            }
        }
        try {
            calm(interrupted);
            service.reclaim(newOwner, name);
            LOG.warn("{} stopped at the takeover there ({}): this node took it back and owns it again", who,
                failed.toString());
        } catch (RuntimeException undo) {
            failed.addSuppressed(undo);
            LOG.warn("{} stopped at the takeover there ({}), and taking it back here failed too ({}): no node owns "
                + "it now; 'flocker-volume acquire {} {}' here takes it back", who, failed.toString(), undo.toString(),
                newOwner, name.value());
            throw new HandoffFailed(who + " stopped at the takeover there: " + failed.getMessage()
                + "; taking it back here failed too (" + undo.getMessage() + "): no node owns it now; run "
                + "'flocker-volume acquire " + newOwner + " " + name.value() + "' here to take it back", failed);
        }
        throw new HandoffFailed(who + " stopped at the takeover there: " + failed.getMessage()
            + "; it does not own the volume there, so this node took it back and owns it again", failed);
    }

    /** Sets aside an interrupt that came meanwhile, so the next step of the takeover is not cut short by it. */
    private static void calm(boolean[] interrupted) {
        if (Thread.interrupted()) interrupted[0] = true;
    }

    /** A failure the other side's flocker-volume reported itself: its outcome is known. */
    private static boolean known(RuntimeException e) {
        return e instanceof RemoteCommandFailed r && r.exitStatus() > 0;
    }

    /** Whether the other node owns the volume now; null when it cannot be asked. */
    private Boolean ownsThere(RemoteNode remote, UUID newOwner, VolumeName name, RuntimeException failed) {
        try {
            if (!known(failed)) remote.reconnect();
            return remote.state(new VolumeId(newOwner, name)).exists();
        } catch (RuntimeException e) {
            if (e != failed) failed.addSuppressed(e);
            return null;
        }
    }

    private HandoffFailed unknownOutcome(String who, VolumeName name, UUID newOwner, RuntimeException failed) {
        Throwable[] s = failed.getSuppressed();
        String ask = s.length > 0 ? s[s.length - 1].getMessage() : failed.getMessage();
        return new HandoffFailed(who + ": whether the other node took the volume over is unknown (" + failed.getMessage()
            + ") and it cannot be asked (" + ask + "). This node has released the volume: its copy here is read-only "
            + "and named for node " + newOwner + ", so at most that node writes to it. To finish the move, run "
            + "'flocker-volume acquire " + service.node() + " " + name.value() + "' there; only if that node does "
            + "not own it ('flocker-volume list' there shows no volume " + name.value() + " of node " + newOwner
            + "), 'flocker-volume acquire " + newOwner + " " + name.value() + "' here takes it back", failed);
    }

    /** Whether the volume is writable again. */
    private boolean resumeWrites(VolumeName name, RuntimeException cause) {
        // A cancelled (interrupted) handoff still makes the volume writable again; the interrupt stays set.
        boolean interrupted = Thread.interrupted();
        try {
            service.resumeWrites(name);
            return true;
        } catch (RuntimeException undo) {
            cause.addSuppressed(undo);
            return false;
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
        }
    }

    private static String seconds(long sinceNanos) {
        return String.format(java.util.Locale.ROOT, "%.3f s", (System.nanoTime() - sinceNanos) / 1e9);
    }

    private String newSnapshot(VolumeId id, StoragePool pool, UUID destination) {
        Set<String> taken = new HashSet<>(pool.snapshots(id));
        String base = VolumeService.PUSH_SNAPSHOT_PREFIX + STAMP.format(clock.instant());
        String name = base;
        for (int i = 2; taken.contains(name); i++) name = base + "-" + i;
        // Tagged as it is taken: pruning knows push snapshots by the tag, never by the name.
        pool.snapshot(id, name, Map.of(VolumeService.PUSH_TAG, destination.toString()));
        FailPoints.hit(FailPoints.PUSH_SNAPSHOT_AFTER);
        return name;
    }

    /** The newest of {@code mine} (oldest first) that {@code theirs} has too, or null. */
    static String newestCommon(List<String> mine, List<String> theirs) {
        Set<String> t = new HashSet<>(theirs);
        for (int i = mine.size() - 1; i >= 0; i--) if (t.contains(mine.get(i))) return mine.get(i);
        return null;
    }
}
