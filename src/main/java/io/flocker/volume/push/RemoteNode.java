package io.flocker.volume.push;

import io.flocker.ssh.SshFailed;
import io.flocker.volume.ReceiveState;
import io.flocker.volume.VolumeId;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.UUID;
import java.util.function.Function;

/**
 * The other machine, as a push needs it. {@link SshRemoteNode} runs
 * flocker-volume there over SSH; tests use a second in-memory volume service.
 */
public interface RemoteNode extends AutoCloseable {
    /** The other node's UUID. */
    UUID nodeId();

    /** Writes a send stream into the other side; returns the bytes written. */
    @FunctionalInterface
    interface StreamSource {
        long writeTo(OutputStream out);
    }

    /**
     * Has the other node receive a stream of volume {@code id}: it first
     * says what it holds, {@code plan} picks the stream from that (or throws,
     * to send nothing), and the stream goes; afterwards it keeps only its
     * newest {@code keep} push snapshots. One remote command does all of it.
     * A null {@code mountPath} records none over there (a volume Docker's
     * plugin made, which has no data container).
     *
     * @param epoch the sender's epoch of the volume, which the copy records (and by which the other node
     *     refuses a former owner's push)
     * @return the bytes sent
     * @throws RemoteCommandFailed with the other side's own error text
     */
    long receive(VolumeId id, Path mountPath, int keep, long epoch, Function<ReceiveState, StreamSource> plan);

    /**
     * Has the other node take over its copy of volume {@code id}; taking
     * over what it already took over succeeds.
     *
     * @throws RemoteCommandFailed with an exit status above 0 when the other side said it failed; with -1
     *     (or {@link SshFailed}) when the outcome is unknown: the connection ended before the command did
     */
    void acquire(VolumeId id);

    /** What the other node holds of volume {@code id} (receive-state): asked when an outcome is unknown. */
    ReceiveState state(VolumeId id);

    /** Connects again after the connection was lost; a remote without a connection has nothing to do. */
    default void reconnect() {}

    /** For messages: where it is. */
    String describe();

    /** The cipher the connection uses, for -v; null when there is none. */
    String cipher();

    @Override
    void close();
}
