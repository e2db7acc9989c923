package io.flocker.volume.push;

/** Hears how a push's stream is getting on. Called from the pushing thread. */
public interface TransferListener {
    /** A stream starts; {@code estimatedBytes} from send space, 0 when unknown. */
    default void started(String what, long estimatedBytes) {}

    /** {@code bytes} have gone so far. */
    default void progress(long bytes) {}

    /** The stream is done (or failed) after {@code bytes}. */
    default void finished(long bytes) {}

    /** Something done besides streaming that the user should know of (a container stopped for a handoff). */
    default void note(String message) {}

    /** Hears nothing. */
    TransferListener NONE = new TransferListener() {};
}
