package io.flocker.volume.push;

/**
 * @param keep how many push snapshots each side keeps afterwards (at least 1: the next incremental starts from the newest)
 * @param listener hears the stream's progress, and what a handoff did besides ({@link TransferListener#note})
 * @param stopContainers for a handoff: stop the running containers that use the volume before the final
 *     push, instead of refusing a volume in use (its other users are refused all the same)
 */
public record PushOptions(int keep, TransferListener listener, boolean stopContainers) {
    public static final int DEFAULT_KEEP = 2;

    public PushOptions {
        if (keep < 1) throw new IllegalArgumentException("keep must be at least 1 (the next push starts from the newest snapshot)");
        if (listener == null) listener = TransferListener.NONE;
    }

    /** Refusing a volume in use. */
    public PushOptions(int keep, TransferListener listener) {
        this(keep, listener, false);
    }

    public static PushOptions defaults() {
        return new PushOptions(DEFAULT_KEEP, TransferListener.NONE);
    }

    /** These options, stopping the volume's running containers before a handoff's final push. */
    public PushOptions withStopContainers(boolean stop) {
        return new PushOptions(keep, listener, stop);
    }
}
