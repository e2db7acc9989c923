package io.flocker.volume.push;

import io.flocker.volume.ReceiveState;
import io.flocker.volume.StoragePool;
import io.flocker.volume.StreamRefused;
import io.flocker.volume.Volume;
import io.flocker.volume.VolumeBusy;
import io.flocker.volume.VolumeException;
import io.flocker.volume.VolumeId;
import io.flocker.volume.VolumeName;
import io.flocker.volume.VolumeService;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Push and handoff: moving a volume's data, and then its ownership, to
 * another node. The stream goes from lzc_send through a pipe and one buffer
 * straight into the connection; the other side receives it into a read-only
 * copy.
 *
 * <p>A push snapshots the volume, asks the other side what it has, and sends
 * incrementally from the newest snapshot both have (everything when they
 * share none). A push that broke off earlier is first finished from the
 * other side's resume token. Afterwards both sides keep only the newest
 * {@link PushOptions#keep()} push snapshots.
 */
public final class Pusher {
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
        Volume v = service.owned(name);
        VolumeId id = v.id();
        Path mountPath = v.mountPath(); // null for a volume Docker's plugin made: the copy gets none either
        StoragePool pool = service.pool();
        TransferListener l = opts.listener();
        String[] sent = new String[2]; // snapshot, from
        boolean[] resuming = new boolean[1];
        long first = remote.receive(id, mountPath, opts.keep(), state -> {
            if (state.resumeToken().isPresent()) {
                // A push broke off earlier: finish it first, then send what is new.
                resuming[0] = true;
                String token = state.resumeToken().get();
                l.started("finishing the broken push of " + name.value(), 0);
                return out -> {
                    try {
                        return pool.sendResume(id, token, out, l::progress);
                    } catch (StreamRefused cannot) {
                        // Its snapshot is gone here: send afresh; the receiver drops a partial
                        // state that a new stream does not continue.
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
            bytes = remote.receive(id, mountPath, opts.keep(), state -> plan(id, name, state, remote, l, sent));
            l.finished(bytes);
        }
        service.prune(id, opts.keep());
        return new PushResult(sent[0], sent[1], bytes, resumed);
    }

    /** Snapshots the volume and picks the stream for what the receiver holds. */
    private RemoteNode.StreamSource plan(VolumeId id, VolumeName name, ReceiveState state, RemoteNode remote,
                                         TransferListener l, String[] sent) {
        StoragePool pool = service.pool();
        String from = newestCommon(pool.snapshots(id), state.snapshots());
        if (from == null && state.exists()) {
            throw new VolumeException(remote.describe() + " has a copy of volume " + VolumeException.quote(name.value())
                + " that shares no snapshot with this node's; remove that copy there before pushing again");
        }
        String snapshot = newSnapshot(id, pool);
        sent[0] = snapshot;
        sent[1] = from;
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
        service.owned(name);
        UUID newOwner = remote.nodeId();
        if (newOwner.equals(service.node())) {
            throw new VolumeException(remote.describe() + " is this node (" + newOwner + "): nothing to hand over");
        }
        String who = "handoff of volume " + VolumeException.quote(name.value()) + " to " + remote.describe();
        push(name, remote, opts);
        try {
            service.stopWrites(name, opts.stopContainers(), opts.listener()::note);
        } catch (VolumeBusy e) {
            throw new HandoffFailed(who + " stopped before anything changed: " + e.getMessage()
                + "; this node still owns it", e);
        }
        PushResult last;
        try {
            last = push(name, remote, opts);
            service.release(name, newOwner);
        } catch (RuntimeException e) {
            resumeWrites(name, e);
            throw new HandoffFailed(who + " stopped at the final push: " + e.getMessage() + "; this node still owns it", e);
        }
        try {
            remote.acquire(new VolumeId(service.node(), name));
        } catch (RuntimeException e) {
            try {
                service.reclaim(newOwner, name);
            } catch (RuntimeException undo) {
                e.addSuppressed(undo);
                throw new HandoffFailed(who + " stopped at the takeover there: " + e.getMessage()
                    + "; taking it back here failed too (" + undo.getMessage() + "): no node owns it now; run "
                    + "'flocker-volume acquire " + newOwner + " " + name.value() + "' here to take it back", e);
            }
            throw new HandoffFailed(who + " stopped at the takeover there: " + e.getMessage()
                + "; this node owns it again", e);
        }
        return last;
    }

    private void resumeWrites(VolumeName name, RuntimeException cause) {
        try {
            service.resumeWrites(name);
        } catch (RuntimeException undo) {
            cause.addSuppressed(undo);
        }
    }

    private String newSnapshot(VolumeId id, StoragePool pool) {
        Set<String> taken = new HashSet<>(pool.snapshots(id));
        String base = VolumeService.PUSH_SNAPSHOT_PREFIX + STAMP.format(clock.instant());
        String name = base;
        for (int i = 2; taken.contains(name); i++) name = base + "-" + i;
        pool.snapshot(id, name);
        return name;
    }

    /** The newest of {@code mine} (oldest first) that {@code theirs} has too, or null. */
    static String newestCommon(List<String> mine, List<String> theirs) {
        Set<String> t = new HashSet<>(theirs);
        for (int i = mine.size() - 1; i >= 0; i--) if (t.contains(mine.get(i))) return mine.get(i);
        return null;
    }
}
