package io.flocker.volume.push;

/**
 * What a push did.
 *
 * @param snapshot the snapshot that now exists on both sides
 * @param from the snapshot the stream was incremental from; null for a full stream
 * @param bytes stream bytes sent for it
 * @param resumedBytes bytes sent to finish an earlier, broken push first (0 when there was none)
 */
public record PushResult(String snapshot, String from, long bytes, long resumedBytes) {
    public boolean incremental() {
        return from != null;
    }
}
