package io.flocker.lzc;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/** Test helpers that move send streams through real kernel pipes. */
final class Streams {
    private Streams() {}

    /** lzc_send into a pipe, read by another thread: the whole stream. */
    static byte[] send(LibZfsCore lzc, String snap, String from, Set<SendFlag> flags) throws Exception {
        try (NativePipe p = NativePipe.open()) {
            InputStream in = p.takeReadEnd();
            CompletableFuture<byte[]> read = CompletableFuture.supplyAsync(() -> {
                try (in) {
                    return in.readAllBytes();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            try {
                lzc.send(snap, from, p.writeFd(), flags);
            } finally {
                p.closeWrite();
            }
            return read.get();
        }
    }

    /** Feeds {@code stream} through a pipe into lzc_receive; the bytes read. */
    static long receive(LibZfsCore lzc, String snap, byte[] stream, ReceiveOptions opts) throws Exception {
        try (NativePipe p = NativePipe.open()) {
            OutputStream out = p.takeWriteEnd();
            CompletableFuture<Void> write = CompletableFuture.runAsync(() -> {
                try (out) {
                    out.write(stream);
                } catch (java.io.IOException e) {
                    // the receiver stopped reading: its own error is the one that matters
                }
            });
            try {
                return lzc.receive(snap, p.readFd(), opts);
            } finally {
                p.closeRead();
                write.join();
            }
        }
    }
}
