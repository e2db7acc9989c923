package io.flocker.volume.push;

import io.flocker.volume.ReceiveState;
import io.flocker.volume.VolumeId;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.UUID;

/**
 * The other machine, as a push needs it. {@link SshRemoteNode} runs
 * flocker-volume there over SSH; tests use a second in-memory volume service.
 */
public interface RemoteNode extends AutoCloseable {
    /** The other node's UUID. */
    UUID nodeId();

    /** What it holds of volume {@code id}. */
    ReceiveState state(VolumeId id);

    /** Writes a send stream into the other side; returns the bytes written. */
    @FunctionalInterface
    interface StreamSource {
        long writeTo(OutputStream out);
    }

    /**
     * Has the other node receive a stream of volume {@code id}, written by
     * {@code source}, then keep only its newest {@code keep} push snapshots.
     *
     * @return the bytes sent
     * @throws RemoteCommandFailed with the other side's own error text
     */
    long receive(VolumeId id, Path mountPath, int keep, StreamSource source);

    /** Has the other node take over its copy of volume {@code id}. */
    void acquire(VolumeId id);

    /** For messages: where it is. */
    String describe();

    /** The cipher the connection uses, for -v; null when there is none. */
    String cipher();

    @Override
    void close();
}
