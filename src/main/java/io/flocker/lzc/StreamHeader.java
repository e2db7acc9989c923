package io.flocker.lzc;

import static io.flocker.lzc.raw.LibZfsCoreNative.flocker_read_full;

import io.flocker.lzc.errors.BadStream;
import io.flocker.lzc.errors.StreamIoError;
import io.flocker.lzc.errors.StreamTruncated;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.bytedeco.javacpp.BytePointer;

/**
 * The begin record of a send stream, read before the receive so the receiver
 * can learn what the stream holds (its snapshot name, whether it is
 * incremental) and check it, then hand it to {@link LibZfsCore#receive(String,
 * int, ReceiveOptions, StreamHeader)} unchanged.
 */
public final class StreamHeader {
    /** sizeof(dmu_replay_record_t) on every platform OpenZFS supports. */
    public static final int SIZE = 312;
    private static final long BACKUP_MAGIC = 0x2F5bacbacL;
    private static final int DRR_BEGIN = 0;

    private final byte[] raw;
    private final ByteOrder order;

    private StreamHeader(byte[] raw, ByteOrder order) {
        this.raw = raw;
        this.order = order;
    }

    /** Reads exactly the begin record from {@code fd} (a pipe or file); the rest stays unread. */
    public static StreamHeader read(int fd) {
        byte[] buf = new byte[SIZE];
        long n;
        try (BytePointer p = new BytePointer(SIZE)) {
            n = flocker_read_full(fd, p, SIZE);
            if (n > 0) p.get(buf, 0, (int) n);
        }
        if (n < 0) throw new StreamIoError("reading the stream's begin record failed", (int) -n, "receive");
        if (n == 0) throw new BadStream("the stream is empty", 0, "receive");
        if (n < SIZE) throw new StreamTruncated("the stream ended inside its begin record", 0, "receive");
        return parse(buf);
    }

    /** Parses a begin record from bytes. */
    public static StreamHeader parse(byte[] record) {
        if (record.length != SIZE) throw new BadStream("a begin record has " + SIZE + " bytes", 0, "receive");
        for (ByteOrder o : new ByteOrder[] {ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN}) {
            ByteBuffer b = ByteBuffer.wrap(record).order(o);
            if (b.getInt(0) == DRR_BEGIN && b.getLong(8) == BACKUP_MAGIC) return new StreamHeader(record.clone(), o);
        }
        throw new BadStream("not a ZFS send stream (no begin record)", 0, "receive");
    }

    private ByteBuffer buf() {
        return ByteBuffer.wrap(raw).order(order);
    }

    /** The snapshot the stream recreates, as named on the sending side ({@code pool/fs@snap}). */
    public String toName() {
        int n = 0;
        while (n < 256 && raw[56 + n] != 0) n++;
        return new String(raw, 56, n, StandardCharsets.UTF_8);
    }

    /** The part of {@link #toName()} after '@'. */
    public String snapshotName() {
        String t = toName();
        return t.substring(t.indexOf('@') + 1);
    }

    /** The guid of the snapshot the stream recreates. */
    public long toGuid() { return buf().getLong(40); }

    /** The guid of the snapshot an incremental stream starts from; 0 for a full stream. */
    public long fromGuid() { return buf().getLong(48); }

    /** Whether the stream is incremental. */
    public boolean isIncremental() { return fromGuid() != 0; }

    /** The creation time of the snapshot, seconds since the epoch. */
    public long creationTime() { return buf().getLong(24); }

    /** The record's bytes, exactly as they came. */
    public byte[] bytes() { return raw.clone(); }

    BytePointer nativeCopy() {
        BytePointer p = new BytePointer(SIZE);
        p.put(raw, 0, SIZE);
        return p;
    }
}
