package io.flocker.lzc;

import static io.flocker.lzc.raw.LibZfsCoreNative.flocker_close;
import static io.flocker.lzc.raw.LibZfsCoreNative.flocker_pipe;

import java.io.FileInputStream;
import java.io.FilterInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * A kernel pipe whose ends are raw descriptors, for lzc_send (writes into an
 * int fd) and lzc_receive (reads from one). Either end can be turned into a
 * Java stream; the raw descriptor is then closed and the stream owns the
 * pipe end. Closing this closes whatever ends are still raw.
 */
public final class NativePipe implements AutoCloseable {
    private int readFd;
    private int writeFd;

    private NativePipe(int readFd, int writeFd) {
        this.readFd = readFd;
        this.writeFd = writeFd;
    }

    /** A new pipe, both ends close-on-exec. */
    public static NativePipe open() throws IOException {
        NativeLibrary.load();
        int[] fds = new int[2];
        int err = flocker_pipe(fds);
        if (err < 0) throw new IOException("pipe2 failed: " + io.flocker.lzc.errors.Errno.name(-err));
        return new NativePipe(fds[0], fds[1]);
    }

    /** The reading end's descriptor, or -1 once closed or taken. */
    public synchronized int readFd() { return readFd; }

    /** The writing end's descriptor, or -1 once closed or taken. */
    public synchronized int writeFd() { return writeFd; }

    /**
     * The reading end as a Java stream. Reopening through /proc/self/fd gives
     * Java its own descriptor for the same pipe, so the raw one is closed.
     */
    public synchronized InputStream takeReadEnd() throws IOException {
        if (readFd < 0) throw new IOException("the pipe's reading end is closed");
        // FileInputStream.readAllBytes seeks (JDK 17), which a pipe refuses
        // (ESPIPE); the generic InputStream methods only read.
        InputStream in = new FilterInputStream(new FileInputStream("/proc/self/fd/" + readFd)) {};
        closeRead();
        return in;
    }

    /** The writing end as a Java stream; see {@link #takeReadEnd()}. */
    public synchronized OutputStream takeWriteEnd() throws IOException {
        if (writeFd < 0) throw new IOException("the pipe's writing end is closed");
        OutputStream out = new FileOutputStream("/proc/self/fd/" + writeFd);
        closeWrite();
        return out;
    }

    /** Closes the reading end, if still raw. */
    public synchronized void closeRead() {
        if (readFd >= 0) {
            flocker_close(readFd);
            readFd = -1;
        }
    }

    /** Closes the writing end, if still raw: the reader then sees end of file. */
    public synchronized void closeWrite() {
        if (writeFd >= 0) {
            flocker_close(writeFd);
            writeFd = -1;
        }
    }

    @Override
    public synchronized void close() {
        closeRead();
        closeWrite();
    }
}
