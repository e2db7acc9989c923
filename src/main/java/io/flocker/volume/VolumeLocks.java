package io.flocker.volume;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One lock per volume, across threads and processes: every operation that
 * changes or mounts a volume (the CLI, the plugin, the receiving end of a
 * push) holds it, so that a handoff, a push and a plugin mount of one volume
 * never interleave.
 *
 * <p>The lock is keyed by pool and volume <em>name</em>, not by owner: an
 * owner change renames the dataset, and the operations on both sides of the
 * rename must exclude one another. It is the file {@code
 * <dir>/<pool>/<name>.lock} locked with {@link FileChannel#lock} (a POSIX
 * record lock, which the kernel drops when the process dies, also by kill
 * -9; it is an fcntl lock, which {@code flock(1)} does not see), under a
 * per-file {@link ReentrantLock} shared by the whole JVM: a JVM
 * holds a file lock once for all its threads, so the threads are kept apart
 * in memory, and a thread that holds a volume may take it again (a handoff
 * holds it across the pushes it makes).
 *
 * <p>While held, the file says who holds it (pid, operation, since when), so
 * that a caller who waits in vain is told. Lock files are never deleted:
 * deleting one while another process waits on it would let a third lock a
 * new file of the same name, and two would hold "the" lock. They are a few
 * bytes each, one per volume name ever used.
 *
 * <p>Two JVM-wide rules follow from POSIX record locks: only one channel per
 * file is opened in this JVM (kept in {@link #HELD}), and the holder's text is
 * read through that channel, because closing any other descriptor of the file
 * would drop the lock.
 */
public final class VolumeLocks {
    private static final Logger LOG = LoggerFactory.getLogger(VolumeLocks.class);

    /** Where locks are unless told otherwise. */
    public static final Path DEFAULT_DIRECTORY = Path.of("/run/flocker/locks");
    /** How long an operation waits for a volume another holds, unless told otherwise. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    /** System property that moves the lock directory (tests, library users without /run). */
    public static final String DIRECTORY_PROPERTY = "flocker.lockDir";
    /** System property with the wait in milliseconds. */
    public static final String TIMEOUT_PROPERTY = "flocker.lockTimeoutMillis";

    private static final long POLL_MILLIS = 50;

    /** The in-JVM half of every lock file this JVM uses, by its absolute path. */
    private static final Map<Path, Slot> HELD = new ConcurrentHashMap<>();

    private final Path directory;
    private final Duration timeout;

    /**
     * @param directory where the lock files are (made 0700 when missing)
     * @param timeout how long to wait for a volume another operation holds
     */
    public VolumeLocks(Path directory, Duration timeout) {
        this.directory = Objects.requireNonNull(directory, "directory").toAbsolutePath().normalize();
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative()) throw new IllegalArgumentException("negative lock timeout " + timeout);
    }

    /**
     * Locks in {@value #DIRECTORY_PROPERTY} (default {@code /run/flocker/locks}),
     * waiting {@value #TIMEOUT_PROPERTY} milliseconds (default 30 s).
     */
    public static VolumeLocks defaults() {
        String dir = System.getProperty(DIRECTORY_PROPERTY);
        String wait = System.getProperty(TIMEOUT_PROPERTY);
        Duration timeout = DEFAULT_TIMEOUT;
        if (wait != null) {
            try {
                timeout = Duration.ofMillis(Long.parseLong(wait.strip()));
            } catch (NumberFormatException e) {
                throw new VolumeException("system property " + TIMEOUT_PROPERTY + "=" + VolumeException.quote(wait)
                    + " is not a number of milliseconds");
            }
        }
        return new VolumeLocks(dir == null || dir.isBlank() ? DEFAULT_DIRECTORY : Path.of(dir), timeout);
    }

    public Path directory() {
        return directory;
    }

    public Duration timeout() {
        return timeout;
    }

    /** The lock file of volume {@code name} in pool {@code pool}. */
    public Path file(String pool, VolumeName name) {
        return directory.resolve(pool).resolve(name.value() + ".lock");
    }

    /** A held lock; closing it releases this hold (the lock goes with the last one). */
    public interface Held extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Takes the lock of volume {@code name} in {@code pool} for {@code
     * operation}, waiting up to the timeout; again in a thread that holds it
     * already, at once.
     *
     * @throws VolumeBusy naming the holder when it is still held after the wait
     * @throws StorageUnavailable when the lock directory or file cannot be made
     */
    public Held lock(String pool, VolumeName name, String operation) {
        Path file = file(pool, name);
        Slot slot = HELD.computeIfAbsent(file, Slot::new);
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean inJvm;
        try {
            inJvm = slot.lock.tryLock(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VolumeBusy(busy(name, operation, "interrupted while waiting", slot.holder), e);
        }
        if (!inJvm) throw new VolumeBusy(busy(name, operation, "waited " + seconds(), slot.holder), null);
        try {
            if (slot.lock.getHoldCount() == 1) slot.acquire(name, operation, deadline, this);
        } catch (RuntimeException | Error e) {
            slot.lock.unlock();
            throw e;
        }
        return new Held() {
            private boolean closed;

            @Override
            public void close() {
                if (closed) return;
                closed = true;
                try {
                    if (slot.lock.getHoldCount() == 1) slot.release();
                } finally {
                    slot.lock.unlock();
                }
            }
        };
    }

    private String seconds() {
        return timeout.toMillis() % 1000 == 0 ? timeout.toSeconds() + " s" : timeout.toMillis() + " ms";
    }

    private static String busy(VolumeName name, String operation, String waited, String holder) {
        return "volume " + VolumeException.quote(name.value()) + " is busy: cannot " + operation + " it, "
            + (holder == null || holder.isBlank() ? "another operation holds it" : "held by " + holder)
            + " (" + waited + ")";
    }

    /** The JVM's state of one lock file; guarded by {@link #lock}. */
    private static final class Slot {
        final Path file;
        final ReentrantLock lock = new ReentrantLock();
        FileChannel channel;
        FileLock fileLock;
        volatile String holder; // who in this JVM holds it, for threads that wait in vain

        Slot(Path file) {
            this.file = file;
        }

        void acquire(VolumeName name, String operation, long deadline, VolumeLocks locks) {
            FileChannel ch = open(locks);
            try {
                FileLock got;
                while ((got = tryLock(ch)) == null) {
                    if (System.nanoTime() - deadline >= 0) {
                        throw new VolumeBusy(busy(name, operation, "waited " + locks.seconds(), read(ch)), null);
                    }
                    try {
                        Thread.sleep(POLL_MILLIS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new VolumeBusy(busy(name, operation, "interrupted while waiting", read(ch)), e);
                    }
                }
                String me = "process " + ProcessHandle.current().pid() + " (" + operation + " since "
                    + Instant.now() + ")";
                write(ch, me);
                channel = ch;
                fileLock = got;
                holder = me;
                LOG.debug("locked {} for {}", file, operation);
            } catch (RuntimeException | Error e) {
                closeQuietly(ch); // no lock of ours is on it: closing drops nothing
                throw e;
            }
        }

        void release() {
            holder = null;
            // An interrupted holder (a cancelled push) still releases cleanly: the channel's calls would throw.
            boolean interrupted = Thread.interrupted();
            try {
                releaseNow();
            } finally {
                if (interrupted) Thread.currentThread().interrupt();
            }
        }

        private void releaseNow() {
            try {
                // An empty file names nobody: a holder killed by -9 leaves its text, which the next holder replaces.
                channel.truncate(0);
            } catch (IOException e) {
                LOG.warn("cannot clear lock file {}: {}", file, e.toString());
            }
            try {
                fileLock.release();
            } catch (IOException e) {
                LOG.warn("cannot unlock {} (closing it unlocks it): {}", file, e.toString());
            }
            closeQuietly(channel);
            channel = null;
            fileLock = null;
            LOG.debug("unlocked {}", file);
        }

        private FileChannel open(VolumeLocks locks) {
            Path dir = file.getParent();
            try {
                if (!Files.isDirectory(dir)) {
                    Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                }
                return FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            } catch (IOException | UnsupportedOperationException | SecurityException e) {
                String why = e instanceof FileSystemException f && f.getReason() != null ? f.getReason() : e.toString();
                throw new StorageUnavailable("cannot make the volume lock file " + file + " (" + why + "); set system "
                    + "property " + DIRECTORY_PROPERTY + " to a directory this process may write (lock directory now "
                    + locks.directory + ")", e);
            }
        }

        private FileLock tryLock(FileChannel ch) {
            try {
                return ch.tryLock();
            } catch (OverlappingFileLockException e) {
                // Cannot happen: this slot is the JVM's only channel on the file, and its lock is ours.
                throw new IllegalStateException("lock file " + file + " is locked twice in this JVM", e);
            } catch (IOException e) {
                throw new StorageException("cannot lock " + file + ": " + e.getMessage(), e);
            }
        }

        private static void write(FileChannel ch, String text) {
            try {
                ch.truncate(0);
                ByteBuffer b = ByteBuffer.wrap((text + "\n").getBytes(StandardCharsets.UTF_8));
                long at = 0;
                while (b.hasRemaining()) at += ch.write(b, at);
                ch.force(false);
            } catch (IOException e) {
                // Who holds it is for messages only: the lock itself is taken.
                LOG.warn("cannot write the holder into its lock file: {}", e.toString());
            }
        }

        private static String read(FileChannel ch) {
            try {
                ByteBuffer b = ByteBuffer.allocate(1024);
                ch.read(b, 0);
                return new String(b.array(), 0, b.position(), StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                return null;
            }
        }

        private static void closeQuietly(FileChannel ch) {
            try {
                ch.close();
            } catch (IOException e) {
                // nothing of ours is held on it
            }
        }
    }
}
