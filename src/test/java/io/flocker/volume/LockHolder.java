package io.flocker.volume;

import java.nio.file.Path;
import java.time.Duration;

/**
 * A process that takes one volume lock and holds it until it is killed:
 * the other process of the lock tests ({@code kill -9} of it must free the lock).
 * Arguments: lock directory, pool, volume name, operation.
 */
public final class LockHolder {
    private LockHolder() {}

    public static void main(String[] args) throws InterruptedException {
        new VolumeLocks(Path.of(args[0]), Duration.ofSeconds(30)).lock(args[1], VolumeName.of(args[2]), args[3]);
        System.out.println("held");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }

    /** Starts a holder of {@code name}'s lock with this JVM's java and class path; returns once it holds it. */
    public static Process start(Path dir, String pool, String name, String operation) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-XX:TieredStopAtLevel=1", "-cp",
            System.getProperty("java.class.path"), LockHolder.class.getName(), dir.toString(), pool, name, operation)
            .redirectErrorStream(true).start();
        String line = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream())).readLine();
        if (!"held".equals(line)) {
            p.destroyForcibly();
            throw new IllegalStateException("the lock holder did not start: " + line);
        }
        return p;
    }
}
