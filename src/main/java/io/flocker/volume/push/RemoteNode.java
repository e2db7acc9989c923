package io.flocker.volume.push;

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
     * @return the bytes sent
     * @throws RemoteCommandFailed with the other side's own error text
     */
    long receive(VolumeId id, Path mountPath, int keep, Function<ReceiveState, StreamSource> plan);

    /** Has the other node take over its copy of volume {@code id}. */
    void acquire(VolumeId id);

    /** For messages: where it is. */
    String describe();

    /** The cipher the connection uses, for -v; null when there is none. */
    String cipher();

    @Override
    void close();
}
