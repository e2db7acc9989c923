package io.flocker.lzc;

import static org.junit.jupiter.api.Assertions.*;

import io.flocker.lzc.errors.*;
import io.flocker.testbed.TestPool;
import io.flocker.testbed.WithTestPools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** send, send_space, send_resume and receive through real pipes on a real pool. */
@WithTestPools(size = "512M")
class SendReceiveIT {
    private static final AtomicInteger SEQ = new AtomicInteger();
    private static final Set<SendFlag> NONE = EnumSet.noneOf(SendFlag.class);
    private final LibZfsCore lzc = LibZfsCore.open();
    private final TestPool pool;

    SendReceiveIT(TestPool pool) {
        this.pool = pool;
    }

    private String name(String base) {
        return pool.ds(base + SEQ.incrementAndGet());
    }

    /** A file system with snapshots @1 and @2, each with its own random file. */
    private String source() throws Exception {
        String fs = name("src");
        lzc.create(fs);
        Path dir = pool.mountpoint().resolve(fs.substring(fs.indexOf('/') + 1));
        ZfsMounts.mount(fs, dir, false);
        try {
            Files.write(dir.resolve("one"), random(1 << 20, 1));
            lzc.snapshot(fs + "@1");
            Files.write(dir.resolve("two"), random(256 << 10, 2));
            lzc.snapshot(fs + "@2");
        } finally {
            ZfsMounts.unmount(dir, false);
        }
        return fs;
    }

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private byte[] read(String fs, String file) throws Exception {
        Path dir = Files.createTempDirectory("recv");
        ZfsMounts.mount(fs, dir, true);
        try {
            return Files.readAllBytes(dir.resolve(file));
        } finally {
            ZfsMounts.unmount(dir, false);
        }
    }

    @Test
    void fullThenIncrementalKeepDataAndGuids() throws Exception {
        String src = source();
        String copy = name("copy");
        byte[] full = Streams.send(lzc, src + "@1", null, NONE);
        assertEquals(full.length, Streams.receive(lzc, copy + "@1", full, ReceiveOptions.DEFAULTS));
        assertEquals(pool.get(src + "@1", "guid"), pool.get(copy + "@1", "guid"));
        assertArrayEquals(random(1 << 20, 1), read(copy, "one"));

        byte[] incr = Streams.send(lzc, src + "@2", src + "@1", NONE);
        assertTrue(incr.length < full.length, "the incremental stream carries only the change");
        long estimate = lzc.sendSpace(src + "@2", src + "@1", NONE);
        assertTrue(estimate > incr.length / 2 && estimate < incr.length * 2L + (64 << 10),
            "send_space " + estimate + " estimates the " + incr.length + "-byte stream");
        Streams.receive(lzc, copy + "@2", incr, ReceiveOptions.DEFAULTS);
        assertEquals(pool.get(src + "@2", "guid"), pool.get(copy + "@2", "guid"));
        assertArrayEquals(random(256 << 10, 2), read(copy, "two"));
    }

    @Test
    void flagsAndBookmarkSources() throws Exception {
        String src = source();
        lzc.bookmark(Map.of(src + "#b1", src + "@1"));
        byte[] fromMark = Streams.send(lzc, src + "@2", src + "#b1",
            EnumSet.of(SendFlag.LARGE_BLOCK, SendFlag.EMBED_DATA, SendFlag.COMPRESS));
        String copy = name("copy");
        Streams.receive(lzc, copy + "@1", Streams.send(lzc, src + "@1", null, NONE), ReceiveOptions.DEFAULTS);
        Streams.receive(lzc, copy + "@2", fromMark, ReceiveOptions.DEFAULTS);
        assertEquals(pool.get(src + "@2", "guid"), pool.get(copy + "@2", "guid"));
    }

    @Test
    void receivedPropertiesAndTheHeader() throws Exception {
        String src = source();
        byte[] full = Streams.send(lzc, src + "@1", null, NONE);
        StreamHeader h = StreamHeader.parse(Arrays.copyOf(full, StreamHeader.SIZE));
        assertEquals(src + "@1", h.toName());
        assertEquals("1", h.snapshotName());
        assertFalse(h.isIncremental());
        assertEquals(Long.parseUnsignedLong(pool.get(src + "@1", "guid")), h.toGuid());
        StreamHeader incr = StreamHeader.parse(Arrays.copyOf(Streams.send(lzc, src + "@2", src + "@1", NONE), StreamHeader.SIZE));
        assertEquals(h.toGuid(), incr.fromGuid());

        // The receiver reads the begin record itself, then hands it over.
        String copy = name("copy");
        try (NativePipe p = NativePipe.open()) {
            var out = p.takeWriteEnd();
            var writer = java.util.concurrent.CompletableFuture.runAsync(() -> {
                try (out) {
                    out.write(full);
                } catch (java.io.IOException ignored) {
                    // reported by the receiver
                }
            });
            StreamHeader read = StreamHeader.read(p.readFd());
            lzc.receive(copy + "@" + read.snapshotName(), p.readFd(), ReceiveOptions.DEFAULTS.withProperties(
                Map.of("readonly", "on", "io.flocker:from", "test")), read);
            p.closeRead();
            writer.join();
        }
        assertEquals("on", pool.get(copy, "readonly"));
        assertEquals("test", pool.get(copy, "io.flocker:from"));
        assertEquals(pool.get(src + "@1", "guid"), pool.get(copy + "@1", "guid"));

        // A property the kernel refuses once the data is in (a volume size on a file system): named by its property.
        String small = name("small");
        ReceivePropertyFailure refused = assertThrows(ReceivePropertyFailure.class, () -> Streams.receive(lzc,
            small + "@1", full, ReceiveOptions.DEFAULTS.withProperties(Map.of("volsize", 1L << 20, "io.flocker:ok", "y"))));
        assertEquals(List.of("volsize"), refused.errors().stream().map(ZfsException::name).toList(), refused.getMessage());
        assertTrue(refused.getMessage().contains(small + "@1"), refused.getMessage());
        assertEquals(pool.get(src + "@1", "guid"), pool.get(small + "@1", "guid"), "the data arrived");
    }

    @Test
    void garbageAndTruncatedStreamsChangeNothing() throws Exception {
        String src = source();
        byte[] full = Streams.send(lzc, src + "@1", null, NONE);
        List<String> before = pool.all();
        String copy = name("copy");
        BadStream garbage = assertThrows(BadStream.class,
            () -> Streams.receive(lzc, copy + "@1", random(64 << 10, 3), ReceiveOptions.DEFAULTS));
        assertTrue(garbage.errno() != 0);
        assertThrows(ZfsException.class, () -> Streams.receive(lzc, copy + "@1", new byte[0], ReceiveOptions.DEFAULTS));
        ZfsException cut = assertThrows(ZfsException.class,
            () -> Streams.receive(lzc, copy + "@1", Arrays.copyOf(full, full.length / 2), ReceiveOptions.DEFAULTS));
        assertTrue(cut instanceof BadStream || cut instanceof StreamIoError, cut.toString());
        assertEquals(before, pool.all(), "no failed receive left anything behind");
        assertThrows(BadStream.class, () -> StreamHeader.parse(random(StreamHeader.SIZE, 4)));
    }

    @Test
    void aCutResumableReceiveResumesFromItsToken() throws Exception {
        String src = source();
        byte[] full = Streams.send(lzc, src + "@1", null, NONE);
        String copy = name("copy");
        ReceiveOptions resumable = ReceiveOptions.DEFAULTS.withResumable(true);
        assertThrows(ZfsException.class,
            () -> Streams.receive(lzc, copy + "@1", Arrays.copyOf(full, full.length / 2), resumable));
        assertFalse(pool.has(copy + "@1"));
        String token = lzc.receiveResumeToken(copy);
        assertNotNull(token, "a resumable receive keeps its partial state");
        assertEquals(token, pool.get(copy, "receive_resume_token"));
        ResumeToken t = ResumeToken.decode(token);
        assertEquals(src + "@1", t.toName());
        assertEquals(Long.parseUnsignedLong(pool.get(src + "@1", "guid")), t.toGuid());
        assertTrue(t.bytes() > 0 && t.bytes() < full.length, "the token records progress: " + t);

        assertThrows(PartialReceiveExists.class, () -> Streams.receive(lzc, copy + "@1", full, ReceiveOptions.DEFAULTS)
            , "a fresh full stream does not silently replace the partial state");

        byte[] rest;
        try (NativePipe p = NativePipe.open()) {
            var in = p.takeReadEnd();
            var reader = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try (in) {
                    return in.readAllBytes();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            lzc.sendResume(t.toName(), null, p.writeFd(), t.flags(), t.object(), t.offset());
            p.closeWrite();
            rest = reader.get();
        }
        assertTrue(rest.length < full.length, "the resumed stream does not start over");
        Streams.receive(lzc, copy + "@1", rest, resumable);
        assertNull(lzc.receiveResumeToken(copy));
        assertEquals(pool.get(src + "@1", "guid"), pool.get(copy + "@1", "guid"));
        assertArrayEquals(random(1 << 20, 1), read(copy, "one"));
        assertThrows(ResumeTokenInvalid.class, () -> ResumeToken.decode("1-abc-10-zz"));
    }

    @Test
    void incrementalOntoTheWrongBaseOrAChangedTarget() throws Exception {
        String src = source();
        byte[] incr = Streams.send(lzc, src + "@2", src + "@1", NONE);

        String other = source();
        String unrelated = name("copy");
        Streams.receive(lzc, unrelated + "@1", Streams.send(lzc, other + "@1", null, NONE), ReceiveOptions.DEFAULTS);
        List<String> before = pool.all();
        assertThrows(StreamMismatch.class, () -> Streams.receive(lzc, unrelated + "@2", incr, ReceiveOptions.DEFAULTS));
        assertThrows(DatasetNotFound.class,
            () -> Streams.receive(lzc, pool.ds("nowhere/deep/x@2"), incr, ReceiveOptions.DEFAULTS));
        assertEquals(before, pool.all());

        String copy = name("copy");
        Streams.receive(lzc, copy + "@1", Streams.send(lzc, src + "@1", null, NONE), ReceiveOptions.DEFAULTS);
        Path dir = Files.createTempDirectory("changed");
        ZfsMounts.mount(copy, dir, false);
        Files.writeString(dir.resolve("local-change"), "x");
        ZfsMounts.unmount(dir, false);
        lzc.sync(pool.name());
        assertThrows(DestinationModified.class, () -> Streams.receive(lzc, copy + "@2", incr, ReceiveOptions.DEFAULTS));
        assertFalse(pool.has(copy + "@2"));
        Streams.receive(lzc, copy + "@2", incr, ReceiveOptions.DEFAULTS.withForce(true));
        assertEquals(pool.get(src + "@2", "guid"), pool.get(copy + "@2", "guid"));

        DatasetExists exists = assertThrows(DatasetExists.class,
            () -> Streams.receive(lzc, copy + "@9", Streams.send(lzc, src + "@1", null, NONE), ReceiveOptions.DEFAULTS));
        assertEquals(Errno.EEXIST, exists.errno());
    }

    @Test
    void sendFailures() throws Exception {
        String src = source();
        String other = source();
        assertThrows(SnapshotMismatch.class, () -> Streams.send(lzc, src + "@2", other + "@1", NONE));
        assertEquals(src + "@9", assertThrows(SnapshotNotFound.class, () -> Streams.send(lzc, src + "@9", null, NONE)).name());
        assertEquals(src + "@0", assertThrows(SnapshotNotFound.class, () -> Streams.send(lzc, src + "@2", src + "@0", NONE)).name());
        assertThrows(SnapshotNotFound.class, () -> lzc.sendSpace(src + "@9", null, NONE));
        assertThrows(PoolsDiffer.class, () -> lzc.send(src + "@2", "elsewhere/x@1", 1, NONE));
        try (NativePipe p = NativePipe.open()) {
            p.closeRead();
            StreamIoError e = assertThrows(StreamIoError.class, () -> lzc.send(src + "@1", null, p.writeFd(), NONE));
            assertEquals(Errno.EPIPE, e.errno());
        }
        assertEquals(src + "x", assertThrows(FilesystemNotFound.class, () -> Streams.send(lzc, src + "x", null, NONE)).name());
        // A reader that goes away mid-stream: a stream error too, whatever errno the cut write gives.
        try (NativePipe p = NativePipe.open()) {
            java.util.concurrent.CompletableFuture<Void> sending = java.util.concurrent.CompletableFuture.runAsync(
                () -> lzc.send(src + "@1", null, p.writeFd(), NONE));
            try (java.io.InputStream in = p.takeReadEnd()) {
                assertEquals(128 << 10, in.readNBytes(128 << 10).length, "the stream began");
            }
            java.util.concurrent.ExecutionException e = assertThrows(java.util.concurrent.ExecutionException.class,
                () -> sending.get(60, java.util.concurrent.TimeUnit.SECONDS));
            StreamIoError cut = assertInstanceOf(StreamIoError.class, e.getCause());
            assertTrue(cut.errno() == Errno.EPIPE || cut.errno() == Errno.EINTR, cut.toString());
        }
    }

    /** A file system's current state, sent as lzc_send allows: received, it holds what the file system does. */
    @Test
    void aFileSystemsCurrentStateIsSent() throws Exception {
        String src = source();
        String copy = name("copy");
        byte[] now = Streams.send(lzc, src, null, NONE);
        Streams.receive(lzc, copy + "@now", now, ReceiveOptions.DEFAULTS);
        assertArrayEquals(random(256 << 10, 2), read(copy, "two"));
        byte[] since = Streams.send(lzc, src, src + "@1", NONE);
        assertTrue(since.length < now.length, "incremental from @1: " + since.length + " of " + now.length);
        assertThrows(FilesystemNameInvalid.class, () -> lzc.send("bad!fs", null, 1, NONE));
    }
}
