package io.flocker.lzc;

import static org.junit.jupiter.api.Assertions.*;

import io.flocker.testbed.TestBed;
import io.flocker.testbed.TestPool;
import io.flocker.testbed.WithTestPools;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * 100,000 calls (80,000 nvlist conversions, 10,000 exists, 5,000 failing
 * creates, 5,000 failing snapshots whose error lists come back as nvlists)
 * with the C heap (glibc mallinfo2) and the descriptor table measured around
 * them, in a JVM of their own (see {@link LeakWorker}).
 *
 * <p>Bound: the C heap may grow by at most 64 KiB in all (under a byte a
 * call; leaking the smallest nvlist once per failing call would be 1 MB), and
 * the descriptor count must not change.
 */
@WithTestPools(size = "256M")
class LeakIT {
    private static final long HEAP_BOUND = 64 << 10;

    @Test
    void hundredThousandCallsLeaveHeapAndDescriptorsFlat(TestPool pool) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        TestBed.Result r = TestBed.run(List.of(java, "-Xint", "-XX:+UseSerialGC", "-cp",
            System.getProperty("java.class.path"), LeakWorker.class.getName(), pool.name()), null, Duration.ofMinutes(15));
        assertEquals(0, r.exitCode(), r.stderr() + r.stdout());
        String line = r.stdout().lines().filter(l -> l.startsWith("LEAK ")).findFirst()
            .orElseThrow(() -> new AssertionError("no LEAK line: " + r.stdout()));
        System.out.println(line);
        Map<String, Long> f = new HashMap<>();
        for (String kv : line.substring(5).split(" ")) {
            String[] p = kv.split("=");
            f.put(p[0], Long.parseLong(p[1]));
        }
        assertTrue(f.get("c_heap_growth_bytes") < HEAP_BOUND, line);
        assertEquals(f.get("fds_before"), f.get("fds_after"), line);
    }
}
