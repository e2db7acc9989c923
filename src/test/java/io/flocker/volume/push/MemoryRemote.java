package io.flocker.volume.push;

import io.flocker.volume.ReceiveState;
import io.flocker.volume.VolumeId;
import io.flocker.volume.VolumeService;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.UUID;
import java.util.function.Function;

/** A second node in memory, reached the way the SSH remote reaches flocker-volume over there. */
class MemoryRemote implements RemoteNode {
    final VolumeService service;
    /** When set, the next stream is cut after this many bytes (the link dropped). */
    Integer cutAfter;
    /** When set, acquire fails with this. */
    RuntimeException acquireFails;
    /** When set, acquire takes the volume over and then fails with this: the reply lost. */
    RuntimeException acquireReplyLost;
    /** When set, asking what this node holds fails with this: it cannot be reached. */
    RuntimeException unreachable;
    int acquires;
    int streams;
    /** Streams being received right now, and the most there ever were at once (pushes must not overlap). */
    final java.util.concurrent.atomic.AtomicInteger receiving = new java.util.concurrent.atomic.AtomicInteger();
    final java.util.concurrent.atomic.AtomicInteger mostAtOnce = new java.util.concurrent.atomic.AtomicInteger();
    /** When set, what this node says it holds is rewritten by it first: a hostile receiver. */
    volatile java.util.function.UnaryOperator<ReceiveState> forge;
    /** Runs while a stream is received: for tests that look at the sender meanwhile. */
    volatile Runnable duringReceive = () -> {};

    MemoryRemote(VolumeService service) {
        this.service = service;
    }

    @Override
    public UUID nodeId() {
        return service.node();
    }

    @Override
    public long receive(VolumeId id, Path mountPath, int keep, long epoch, Function<ReceiveState, StreamSource> plan) {
        int now = receiving.incrementAndGet();
        mostAtOnce.accumulateAndGet(now, Math::max);
        try {
            duringReceive.run();
            return receiveNow(id, mountPath, keep, epoch, plan);
        } finally {
            receiving.decrementAndGet();
        }
    }

    private synchronized long receiveNow(VolumeId id, Path mountPath, int keep, long epoch,
                                         Function<ReceiveState, StreamSource> plan) {
        ReceiveState state = service.receiveState(id.owner(), id.name());
        if (forge != null) state = forge.apply(state);
        StreamSource source = plan.apply(state);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long n = source.writeTo(out);
        byte[] bytes = out.toByteArray();
        streams++;
        if (cutAfter != null) {
            bytes = Arrays.copyOf(bytes, Math.min(cutAfter, bytes.length));
            cutAfter = null;
        }
        try {
            service.receive(id.owner(), id.name(), mountPath, new ByteArrayInputStream(bytes), keep, epoch);
        } catch (RuntimeException e) {
            throw new RemoteCommandFailed("flocker-volume receive on memory failed: " + e.getMessage(), 1, e);
        }
        return n;
    }

    @Override
    public void acquire(VolumeId id) {
        acquires++;
        if (unreachable != null) throw unreachable;
        if (acquireFails != null) throw acquireFails;
        service.acquire(id.owner(), id.name());
        if (acquireReplyLost != null) {
            RuntimeException lost = acquireReplyLost;
            acquireReplyLost = null;
            throw lost;
        }
    }

    @Override
    public ReceiveState state(VolumeId id) {
        if (unreachable != null) throw unreachable;
        return service.receiveState(id.owner(), id.name());
    }

    @Override
    public String describe() {
        return "memory-node";
    }

    @Override
    public String cipher() {
        return null;
    }

    @Override
    public void close() {}
}
