package io.flocker.lzc;

import java.util.Set;

/** Options of a send stream, libzfs_core's lzc_send_flags. */
public enum SendFlag {
    /** Blocks that compress to almost nothing travel inside their block pointers (WRITE_EMBEDDED). */
    EMBED_DATA(1),
    /** Blocks over 128 KiB stay whole instead of being split. */
    LARGE_BLOCK(1 << 1),
    /** Compressed blocks travel compressed. */
    COMPRESS(1 << 2),
    /** Blocks travel exactly as on disk, encrypted ones still encrypted. */
    RAW(1 << 3),
    /** Sends the partially received state of a dataset (a saved resumable receive). */
    SAVED(1 << 4);

    final int bit;

    SendFlag(int bit) {
        this.bit = bit;
    }

    static int mask(Set<SendFlag> flags) {
        int m = 0;
        if (flags != null) for (SendFlag f : flags) m |= f.bit;
        return m;
    }
}
