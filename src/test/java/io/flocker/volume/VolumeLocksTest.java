package io.flocker.volume;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One lock per volume: threads of one JVM, and another process, wait for it, fail naming the holder, or get it. */
class VolumeLocksTest {
    @TempDir
    Path dir;

    private final VolumeName db = VolumeName.of("db");

    private VolumeLocks locks(long millis) {
        return new VolumeLocks(dir.resolve("locks"), Duration.ofMillis(millis));
    }

    @Test
    void aThreadThatHoldsItMayTakeItAgainAndTheLastCloseReleasesIt() throws Exception {
        VolumeLocks l = locks(200);
        try (VolumeLocks.Held outer = l.lock("flocker", db, "hand off")) {
            try (VolumeLocks.Held inner = l.lock("flocker", db, "push")) {
                assertNotNull(inner);
            }
            // the inner close did not release it: another thread still cannot have it
            assertNotNull(fromAnotherThread(l, "mount"));
        }
        assertNull(fromAnotherThread(l, "mount"), "the last close released it");
    }

    /** What taking the lock in another thread gives: null when it got it, else the refusal. */
    private VolumeBusy fromAnotherThread(VolumeLocks l, String operation) throws Exception {
        return CompletableFuture.supplyAsync(() -> {
            try {
                l.lock("flocker", db, operation).close();
                return null;
            } catch (VolumeBusy busy) {
                return busy;
            }
        }).get(30, TimeUnit.SECONDS);
    }

    @Test
    void anotherThreadWaitsBoundedThenFailsNamingTheHolder() throws Exception {
        VolumeLocks l = locks(300);
        try (VolumeLocks.Held held = l.lock("flocker", db, "hand off to node-b")) {
            long t0 = System.nanoTime();
            VolumeBusy e = fromAnotherThread(l, "plugin mount");
            long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertNotNull(e, "the second operation must not get the lock");
            assertTrue(waited >= 250, "it waited for the holder: " + waited + " ms");
            String m = e.getMessage();
            assertTrue(m.contains("'db'") && m.contains("plugin mount") && m.contains("hand off to node-b")
                && m.contains("process " + ProcessHandle.current().pid()), m);
        }
    }

    @Test
    void aWaiterGetsItWhenTheHolderLetsGo() throws Exception {
        VolumeLocks l = locks(10_000);
        CountDownLatch taken = new CountDownLatch(1);
        CompletableFuture<Void> holder = CompletableFuture.runAsync(() -> {
            try (VolumeLocks.Held held = l.lock("flocker", db, "push")) {
                taken.countDown();
                Thread.sleep(300);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        assertTrue(taken.await(5, TimeUnit.SECONDS));
        long t0 = System.nanoTime();
        try (VolumeLocks.Held mine = l.lock("flocker", db, "push")) {
            assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0) >= 100, "it waited");
        }
        holder.get(5, TimeUnit.SECONDS);
    }

    @Test
    void locksAreKeyedByPoolAndName() throws Exception {
        VolumeLocks l = locks(100);
        try (VolumeLocks.Held held = l.lock("flocker", db, "push")) {
            CompletableFuture.runAsync(() -> {
                l.lock("other", db, "push").close();
                l.lock("flocker", VolumeName.of("web"), "push").close();
            }).get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void theDirectoryIsPrivateAndTheFileStaysNamingNobodyAfter() throws Exception {
        VolumeLocks l = locks(100);
        Path file = l.file("flocker", db);
        try (VolumeLocks.Held held = l.lock("flocker", db, "receive")) {
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
            // Its text is not read here: closing a second descriptor of the file would drop this JVM's
            // POSIX lock; the test with another process reads it from there.
        }
        assertEquals("", Files.readString(file), "released: the file names nobody");
        assertTrue(Files.exists(file), "lock files stay (deleting one under a waiter would split the lock)");
    }

    @Test
    void aLockHeldByAnotherProcessMakesUsWaitThenFailNamingItAndKill9FreesIt() throws Exception {
        Path lockDir = dir.resolve("locks");
        Process holder = LockHolder.start(lockDir, "flocker", "db", "hand off to node-c");
        try {
            VolumeLocks l = locks(400);
            long t0 = System.nanoTime();
            VolumeBusy e = assertThrows(VolumeBusy.class, () -> l.lock("flocker", db, "push to node-b"));
            assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0) >= 350, "it waited");
            assertTrue(e.getMessage().contains("process " + holder.pid()) && e.getMessage().contains("hand off to node-c"),
                e.getMessage());
            holder.destroyForcibly(); // SIGKILL: no clean-up runs in the holder
            assertTrue(holder.waitFor(10, TimeUnit.SECONDS));
            assertEquals(137, holder.exitValue(), "killed by signal 9");
            try (VolumeLocks.Held mine = locks(5_000).lock("flocker", db, "push to node-b")) {
                assertTrue(Files.readString(l.file("flocker", db)).contains("push to node-b"));
            }
        } finally {
            holder.destroyForcibly();
        }
    }

    @Test
    void aLockDirectoryThatCannotBeMadeIsAClearError() throws Exception {
        Path notADir = Files.writeString(dir.resolve("file"), "x");
        VolumeLocks l = new VolumeLocks(notADir.resolve("locks"), Duration.ofMillis(100));
        StorageUnavailable e = assertThrows(StorageUnavailable.class, () -> l.lock("flocker", db, "create"));
        assertTrue(e.getMessage().contains(notADir.resolve("locks").toString())
            && e.getMessage().contains(VolumeLocks.DIRECTORY_PROPERTY), e.getMessage());
    }
}
