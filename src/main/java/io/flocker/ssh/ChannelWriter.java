package io.flocker.ssh;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.ArrayDeque;

/**
 * Writes to an SSH channel on a thread of its own, so that the thread
 * pushing a stream waits only here, where an interrupt is seen: JSch's
 * own wait for the peer's window swallows interrupts, and a push blocked
 * there could not be cancelled. A few chunks are queued; an interrupt,
 * or a write that failed, ends the stream at once. The writer thread ends
 * when the stream is closed or when the channel breaks (which {@link
 * #abandon} and the channel's disconnect make it do).
 */
public final class ChannelWriter extends OutputStream {
    private static final int MAX_QUEUED = 4;
    private static final byte[] END = new byte[0];
    private static final byte[] FLUSH = new byte[0];

    private final OutputStream channel;
    private final Thread writer;
    private final ArrayDeque<byte[]> queue = new ArrayDeque<>();
    private IOException failed;
    private boolean busy, done, abandoned;

    public ChannelWriter(OutputStream channel, String name) {
        this.channel = channel;
        this.writer = new Thread(this::drain, name);
        writer.setDaemon(true);
        writer.start();
    }

    private void drain() {
        try {
            while (true) {
                byte[] chunk;
                synchronized (this) {
                    while (queue.isEmpty() && !abandoned) wait();
                    if (abandoned) return;
                    chunk = queue.poll();
                    busy = true;
                    notifyAll();
                }
                if (chunk == END) {
                    channel.close();
                    return;
                }
                if (chunk == FLUSH) channel.flush();
                else channel.write(chunk);
                synchronized (this) {
                    busy = false;
                    notifyAll();
                }
            }
        } catch (IOException | RuntimeException e) {
            synchronized (this) {
                failed = e instanceof IOException io ? io : new IOException("writing to the channel failed: " + e, e);
            }
        } catch (InterruptedException e) {
            // nobody interrupts this thread but abandon, which needs nothing more
        } finally {
            synchronized (this) {
                done = true;
                busy = false;
                notifyAll();
            }
        }
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (len == 0) return;
        byte[] chunk = java.util.Arrays.copyOfRange(b, off, off + len);
        synchronized (this) {
            awaitRoom(MAX_QUEUED - 1);
            queue.add(chunk);
            notifyAll();
        }
    }

    /** Waits until everything queued is written and the channel flushed. */
    @Override
    public void flush() throws IOException {
        synchronized (this) {
            awaitRoom(MAX_QUEUED - 1);
            queue.add(FLUSH);
            notifyAll();
            while (!queue.isEmpty() || busy) {
                waitHere();
                check();
            }
        }
    }

    /** Sends the end of the stream once everything queued is written, and waits for it. */
    @Override
    public void close() throws IOException {
        synchronized (this) {
            if (abandoned || done && failed == null && queue.isEmpty()) return;
            if (failed != null) throw new IOException(failed.getMessage(), failed); // not the very object write threw
            awaitRoom(MAX_QUEUED - 1);
            queue.add(END);
            notifyAll();
            while (!done) waitHere();
            if (failed != null) throw new IOException(failed.getMessage(), failed);
        }
    }

    /** Stops writing (an interrupt, or a failure elsewhere): the writer thread ends without writing more. */
    public synchronized void abandon() {
        abandoned = true;
        notifyAll();
    }

    /**
     * Waits up to {@code millis} for the writer thread to end; true when it
     * has. Also from an interrupted thread (a cancelled push waits here for
     * the thread it started): the interrupt is kept for afterwards.
     */
    public boolean awaitEnd(long millis) {
        long end = System.nanoTime() + millis * 1_000_000;
        boolean interrupted = Thread.interrupted();
        try {
            while (writer.isAlive()) {
                long left = (end - System.nanoTime()) / 1_000_000;
                if (left <= 0) break;
                try {
                    writer.join(left);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
        }
        return !writer.isAlive();
    }

    // Callers hold the monitor.
    private void awaitRoom(int atMost) throws IOException {
        check();
        while (queue.size() > atMost) {
            waitHere();
            check();
        }
    }

    private void waitHere() throws IOException {
        try {
            wait(100);
        } catch (InterruptedException e) {
            abandoned = true;
            notifyAll();
            Thread.currentThread().interrupt(); // kept for the caller, whose push stops
            throw new InterruptedIOException("interrupted while sending");
        }
    }

    private void check() throws IOException {
        if (Thread.currentThread().isInterrupted()) {
            abandoned = true;
            notifyAll();
            throw new InterruptedIOException("interrupted while sending");
        }
        if (failed != null) throw new IOException(failed.getMessage(), failed);
        if (abandoned || done) throw new IOException("the stream to the channel has ended");
    }
}
