package io.flocker.ssh;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChannelWriterTest {
    /** A channel whose writes block, as JSch's do while the peer's window is shut, until it is "disconnected". */
    private static final class StalledChannel extends OutputStream {
        final CountDownLatch writing = new CountDownLatch(1);
        final CountDownLatch disconnected = new CountDownLatch(1);

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            writing.countDown();
            while (true) {
                try {
                    // JSch waits 100 ms at a time and swallows interrupts meanwhile.
                    if (disconnected.await(100, TimeUnit.MILLISECONDS)) throw new IOException("channel is broken");
                } catch (InterruptedException swallowed) {
                    // as JSch does
                }
            }
        }
    }

    @Test
    void everythingArrivesInOrderAndCloseEndsTheChannel() throws Exception {
        boolean[] closed = new boolean[1];
        ByteArrayOutputStream got = new ByteArrayOutputStream() {
            @Override
            public void close() {
                closed[0] = true;
            }
        };
        ChannelWriter w = new ChannelWriter(got, "test-writer");
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        for (int i = 0; i < 200; i++) {
            byte[] chunk = new byte[1 + i * 37 % 5000];
            java.util.Arrays.fill(chunk, (byte) i);
            w.write(chunk, 0, chunk.length);
            expected.write(chunk);
        }
        w.write(7);
        expected.write(7);
        w.flush();
        assertEquals(expected.size(), got.size(), "flushed: all written");
        w.close();
        assertArrayEquals(expected.toByteArray(), got.toByteArray());
        assertTrue(closed[0], "the end of the stream reached the channel");
        assertTrue(w.awaitEnd(1000), "its thread ended");
        w.close(); // twice is fine
        assertThrows(IOException.class, () -> w.write(1), "nothing after the end");
    }

    @Test
    void anInterruptStopsASenderBlockedByTheChannelAndTheThreadEndsWithTheChannel() throws Exception {
        StalledChannel channel = new StalledChannel();
        ChannelWriter w = new ChannelWriter(channel, "test-writer");
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        boolean[] stillInterrupted = new boolean[1];
        Thread sender = new Thread(() -> {
            try {
                byte[] chunk = new byte[256 << 10];
                while (true) w.write(chunk, 0, chunk.length); // stalls once the queue is full
            } catch (IOException e) {
                thrown.set(e);
                stillInterrupted[0] = Thread.currentThread().isInterrupted();
            }
        });
        sender.start();
        assertTrue(channel.writing.await(5, TimeUnit.SECONDS));
        Thread.sleep(200); // the queue fills, the sender waits
        sender.interrupt();
        sender.join(2000);
        assertFalse(sender.isAlive(), "the interrupt was seen although the channel swallows them");
        assertTrue(thrown.get() instanceof InterruptedIOException, String.valueOf(thrown.get()));
        assertTrue(stillInterrupted[0], "the interrupt stays set for the caller");
        w.close(); // abandoned: returns at once
        assertFalse(w.awaitEnd(300), "still blocked in the channel until it is disconnected");
        // The cancelled caller waits for the writer with its interrupt still set, as SshConnection does.
        Thread.currentThread().interrupt();
        new Thread(() -> {
            sleepQuietly(150);
            channel.disconnected.countDown();
        }).start();
        try {
            assertTrue(w.awaitEnd(5000), "the writer thread ends with the channel, waited for while interrupted");
            assertTrue(Thread.currentThread().isInterrupted(), "the interrupt is kept");
        } finally {
            Thread.interrupted();
        }
    }

    private static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void flushReachesTheChannelAndAFailureIsNotTheSameObjectTwice() throws Exception {
        int[] flushes = new int[1];
        ByteArrayOutputStream got = new ByteArrayOutputStream() {
            @Override
            public void flush() {
                flushes[0]++;
            }
        };
        ChannelWriter w = new ChannelWriter(got, "test-writer");
        w.write(new byte[] {1, 2, 3}, 0, 3);
        w.flush();
        assertEquals(3, got.size());
        assertEquals(1, flushes[0], "the channel itself was flushed");
        w.close();
        OutputStream throwsUnchecked = new OutputStream() {
            @Override
            public void write(int b) {
                throw new IllegalStateException("boom");
            }
        };
        ChannelWriter bad = new ChannelWriter(throwsUnchecked, "test-writer");
        bad.write(new byte[1], 0, 1);
        assertTrue(bad.awaitEnd(2000));
        IOException first = assertThrows(IOException.class, () -> bad.write(new byte[1], 0, 1));
        IOException second = assertThrows(IOException.class, bad::close);
        assertTrue(first.getMessage().contains("boom") && second.getMessage().contains("boom"), first + " / " + second);
        assertTrue(first != second, "try-with-resources cannot suppress an exception into itself");
    }

    @Test
    void aChannelThatFailsFailsTheNextWrite() throws Exception {
        OutputStream broken = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("channel is broken");
            }
        };
        ChannelWriter w = new ChannelWriter(broken, "test-writer");
        w.write(new byte[10], 0, 10);
        IOException e = assertThrows(IOException.class, () -> {
            for (int i = 0; i < 100; i++) {
                w.write(new byte[10], 0, 10);
                Thread.sleep(10);
            }
        });
        assertEquals("channel is broken", e.getMessage());
        assertTrue(w.awaitEnd(1000));
        assertThrows(IOException.class, w::close);
    }
}
