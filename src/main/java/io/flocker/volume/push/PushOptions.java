package io.flocker.volume.push;

/**
 * @param keep how many push snapshots each side keeps afterwards (at least 1: the next incremental starts from the newest)
 * @param listener hears the stream's progress
 */
public record PushOptions(int keep, TransferListener listener) {
    public static final int DEFAULT_KEEP = 2;

    public PushOptions {
        if (keep < 1) throw new IllegalArgumentException("keep must be at least 1 (the next push starts from the newest snapshot)");
        if (listener == null) listener = TransferListener.NONE;
    }

    public static PushOptions defaults() {
        return new PushOptions(DEFAULT_KEEP, TransferListener.NONE);
    }
}
