package io.flocker.volume.zfs;

import io.flocker.lzc.NativePipe;
import io.flocker.lzc.errors.ZfsException;
import io.flocker.volume.DescriptorInputStream;
import io.flocker.volume.StorageException;
import io.flocker.volume.StreamBroken;
import io.flocker.volume.VolumeException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongConsumer;

/**
 * Moves send streams between libzfs_core, which reads and writes raw
 * descriptors, and Java streams (an SSH channel, say), through a kernel pipe
 * and one fixed buffer: the stream never sits in the heap whole. The side
 * that talks to the kernel runs on its own thread; both the thread and the
 * pipe are gone when a call returns, also on failure.
 */
final class StreamPump {
    /** Big enough that an SSH channel gets writes of whole windows, small enough to never matter for the heap. */
    static final int BUFFER = 256 << 10;

    private StreamPump() {}

    @FunctionalInterface
    interface FdWriter {
        void writeTo(int fd);
    }

    @FunctionalInterface
    interface FdReader<T> {
        T readFrom(int fd);
    }

    /** Runs {@code writer} (an lzc send) into a pipe and copies the pipe into {@code out}. */
    static long send(String what, FdWriter writer, OutputStream out, LongConsumer progress) {
        NativePipe pipe = open(what);
        AtomicReference<RuntimeException> failed = new AtomicReference<>();
        Thread sender = new Thread(() -> {
            try {
                writer.writeTo(pipe.writeFd());
            } catch (RuntimeException e) {
                failed.set(e);
            } finally {
                pipe.closeWrite(); // the reader sees the end of the stream
            }
        }, "zfs-send");
        long total = 0;
        IOException broken = null;
        try (pipe) {
            InputStream in = pipe.takeReadEnd();
            sender.start();
            try (in) {
                byte[] buf = new byte[BUFFER];
                int n;
                while ((n = in.read(buf)) > 0) {
                    try {
                        out.write(buf, 0, n);
                    } catch (IOException e) {
                        broken = e;
                        break; // closing our end makes the sender's next write fail with EPIPE
                    }
                    total += n;
                    if (progress != null) progress.accept(total);
                }
                if (broken == null) out.flush();
            } catch (IOException e) {
                if (broken == null) broken = e;
            }
        } catch (IOException e) {
            throw new StorageException("cannot " + what + ": " + e.getMessage(), e);
        } finally {
            joinQuietly(sender);
        }
        RuntimeException e = failed.get();
        if (broken != null) {
            StreamBroken b = new StreamBroken("cannot " + what + ": the receiving side stopped reading ("
                + broken.getMessage() + ")", broken);
            if (e != null) b.addSuppressed(e);
            throw b;
        }
        if (e instanceof ZfsException z) throw ZfsErrors.translate(what, z);
        if (e != null) throw e;
        return total;
    }

    /**
     * Runs {@code reader} (an lzc receive) on a descriptor with {@code in}'s
     * bytes: its own descriptor when it has one, else a pipe fed from it.
     */
    static <T> T receive(String what, InputStream in, FdReader<T> reader) {
        if (in instanceof DescriptorInputStream d) return reader.readFrom(d.fd());
        NativePipe pipe = open(what);
        Thread feeder;
        try (pipe) {
            OutputStream toPipe = pipe.takeWriteEnd();
            feeder = new Thread(() -> {
                try (toPipe) {
                    byte[] buf = new byte[BUFFER];
                    int n;
                    while ((n = in.read(buf)) > 0) toPipe.write(buf, 0, n);
                } catch (IOException e) {
                    // the receiver stopped reading (its own error says why), or the source failed
                    // (the receiver then sees a truncated stream)
                }
            }, "zfs-receive-feed");
            feeder.setDaemon(true);
            feeder.start();
            try {
                return reader.readFrom(pipe.readFd());
            } finally {
                pipe.closeRead();
                try {
                    feeder.join(10_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        } catch (IOException e) {
            throw new StorageException("cannot " + what + ": " + e.getMessage(), e);
        }
    }

    private static NativePipe open(String what) {
        try {
            return NativePipe.open();
        } catch (IOException e) {
            throw new StorageException("cannot " + what + ": " + e.getMessage(), e);
        }
    }

    private static void joinQuietly(Thread t) {
        boolean interrupted = false;
        while (t.isAlive()) {
            try {
                t.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }

    static String quote(String s) {
        return VolumeException.quote(s);
    }
}
