package io.flocker.testbed;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What every integration test may rely on: it runs inside the ZFS test guest
 * (test-pools/testbed), with /dev/zfs, a dockerd and an sshd on 127.0.0.1.
 * When that is not so, the test fails with a message saying which part is
 * missing: an integration test never skips.
 */
public final class TestBed {
    private TestBed() {}

    /** Fails unless this JVM runs in the test guest with /dev/zfs present. */
    public static void requireGuest() {
        if (!"guest".equals(System.getProperty("flocker.testbed"))) {
            throw new AssertionError("integration tests must run inside the ZFS test guest, but this JVM was not "
                + "started by test-pools/testbed (system property flocker.testbed is "
                + System.getProperty("flocker.testbed") + "); run ci/test.sh, or mvn verify -Dit.jvm=$(test-pools/testbed java)");
        }
        if (!Files.exists(Path.of("/dev/zfs"))) {
            throw new AssertionError("/dev/zfs is missing in the test guest: the zfs module did not load (see test-pools/testbed console)");
        }
    }

    /** The project's directory, the same path on host and guest. */
    public static Path projectDir() {
        String d = System.getProperty("flocker.project.dir");
        return Path.of(d != null ? d : System.getProperty("user.dir"));
    }

    /** Waits (up to three minutes: a busy host slows its start) for the guest's dockerd and its busybox image. */
    public static void requireDocker() {
        requireGuest();
        Path ready = Path.of("/run/testbed/docker-ready");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (!Files.exists(ready)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("dockerd in the test guest is not ready after 180 s (see /run/testbed/dockerd.log)");
            }
            sleep(200);
        }
    }

    /** The key that logs in as root to the guest's sshd on 127.0.0.1. */
    public static Path sshKey() {
        requireGuest();
        Path key = Path.of("/root/.ssh/id_ed25519");
        if (!Files.exists(key)) throw new AssertionError("the guest's loopback ssh key " + key + " is missing");
        return key;
    }

    /** A known_hosts file that has the guest's sshd at 127.0.0.1. */
    public static Path knownHosts() {
        requireGuest();
        return Path.of("/root/.ssh/known_hosts");
    }

    /** Result of {@link #run}. */
    public record Result(int exitCode, String stdout, String stderr) {
        public Result requireSuccess() {
            if (exitCode != 0) throw new AssertionError("exit " + exitCode + ": " + stderr + stdout);
            return this;
        }
    }

    /**
     * A shell command for the start of a new mount namespace (unshare -m, private): it unmounts there every
     * ZFS mount the namespace copied, but the one at {@code keep} (null: all). Otherwise, while it lives,
     * other classes' datasets stay mounted in it: their pools cannot be destroyed, and their volumes count
     * as in use by another namespace.
     */
    public static String dropCopiedZfsMounts(Path keep) {
        return "awk '$3 == \"zfs\"" + (keep == null ? "" : " && $2 != \"" + keep + "\"")
            + " {print $2}' /proc/self/mounts | sort -r | xargs -r umount -l";
    }

    /** Runs a command (test fixtures only: never the code under test's path). */
    public static Result run(List<String> command) {
        return run(command, null, Duration.ofMinutes(5));
    }

    public static Result run(String... command) {
        return run(List.of(command));
    }

    public static Result run(List<String> command, byte[] stdin, Duration timeout) {
        try {
            Process p = new ProcessBuilder(command).start();
            Thread err = drain(p.getErrorStream());
            ByteArrayOutputStream outBuf = new ByteArrayOutputStream();
            Thread out = new Thread(() -> copy(p.getInputStream(), outBuf));
            out.start();
            try (var in = p.getOutputStream()) {
                if (stdin != null) in.write(stdin);
            } catch (IOException ignored) {
                // the command may exit without reading its input
            }
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("timed out after " + timeout + ": " + command);
            }
            out.join();
            err.join();
            return new Result(p.exitValue(), outBuf.toString(StandardCharsets.UTF_8), ((Drain) err).text());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static final class Drain extends Thread {
        private final ByteArrayOutputStream buf = new ByteArrayOutputStream();
        private final InputStream in;
        Drain(InputStream in) { this.in = in; }
        @Override public void run() { copy(in, buf); }
        String text() { return buf.toString(StandardCharsets.UTF_8); }
    }

    private static Thread drain(InputStream in) {
        Drain d = new Drain(in);
        d.start();
        return d;
    }

    private static void copy(InputStream in, ByteArrayOutputStream out) {
        try (in) {
            in.transferTo(out);
        } catch (IOException ignored) {
            // the process ended
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
