package io.flocker.lzc;

import static org.junit.jupiter.api.Assertions.*;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;
import org.bytedeco.javacpp.BytePointer;
import org.junit.jupiter.api.Test;

/** Raw pipes for lzc_send/lzc_receive, and their Java ends, on any host. */
class NativePipeTest {

    private static void writeRaw(int fd, byte[] data) {
        try (BytePointer p = new BytePointer(data.length)) {
            p.put(data, 0, data.length);
            assertEquals(data.length, io.flocker.lzc.raw.LibZfsCoreNative.flocker_write_full(fd, p, data.length));
        }
    }

    @Test
    void rawWriterJavaReader() throws Exception {
        byte[] data = new byte[3 << 20];
        new java.util.Random(7).nextBytes(data);
        try (NativePipe p = NativePipe.open()) {
            InputStream in = p.takeReadEnd();
            assertEquals(-1, p.readFd());
            CompletableFuture<byte[]> read = CompletableFuture.supplyAsync(() -> {
                try (in) {
                    return in.readAllBytes();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            writeRaw(p.writeFd(), data);
            p.closeWrite();
            assertArrayEquals(data, read.get());
        }
    }

    @Test
    void javaWriterRawReader() throws Exception {
        byte[] data = "hello through a kernel pipe".getBytes();
        try (NativePipe p = NativePipe.open()) {
            try (OutputStream out = p.takeWriteEnd()) {
                out.write(data);
            }
            try (BytePointer buf = new BytePointer(100)) {
                long n = io.flocker.lzc.raw.LibZfsCoreNative.flocker_read_full(p.readFd(), buf, 100);
                assertEquals(data.length, n, "end of file after the Java end closed");
                byte[] got = new byte[(int) n];
                buf.get(got);
                assertArrayEquals(data, got);
            }
        }
    }

    @Test
    void closingReleasesBothDescriptors() throws Exception {
        int before = NativeDiagnostics.openDescriptors();
        for (int i = 0; i < 200; i++) {
            try (NativePipe p = NativePipe.open()) {
                p.takeReadEnd().close();
            }
        }
        assertEquals(before, NativeDiagnostics.openDescriptors());
    }
}
