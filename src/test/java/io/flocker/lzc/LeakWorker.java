package io.flocker.lzc;

import io.flocker.lzc.errors.ParentNotFound;
import io.flocker.lzc.errors.SnapshotFailure;
import java.util.List;
import java.util.Map;

/**
 * The body of {@link LeakIT}, run in its own JVM with the interpreter only
 * and the serial collector: the JIT compilers and G1 malloc and free megabytes
 * of their own as they go, which would drown a leak of a few bytes a call.
 * Prints one LEAK line with the figures.
 */
public final class LeakWorker {
    private LeakWorker() {}

    public static void main(String[] args) {
        String pool = args[0];
        LibZfsCore lzc = LibZfsCore.open();
        String there = pool + "/there";
        if (!lzc.exists(there)) lzc.create(there);
        // Warm up every path, so one-time allocations (JavaCPP's caches, glibc's arenas) come first.
        mix(lzc, pool, 2_000, 500, 500, 500);
        long heap0 = settledHeap();
        int fds0 = NativeDiagnostics.openDescriptors();
        int[][] plan = {{80_000, 0, 0, 0}, {0, 10_000, 0, 0}, {0, 0, 5_000, 0}, {0, 0, 0, 5_000}};
        long[] phase = new long[plan.length];
        long at = heap0;
        for (int i = 0; i < plan.length; i++) {
            mix(lzc, pool, plan[i][0], plan[i][1], plan[i][2], plan[i][3]);
            long now = settledHeap();
            phase[i] = now - at;
            at = now;
        }
        System.out.printf("LEAK calls=100000 c_heap_growth_bytes=%d conversions=%d exists=%d failing_creates=%d "
                + "failing_snapshots=%d fds_before=%d fds_after=%d%n",
            at - heap0, phase[0], phase[1], phase[2], phase[3], fds0, NativeDiagnostics.openDescriptors());
    }

    private static void mix(LibZfsCore lzc, String pool, int conversions, int exists, int creates, int snapshots) {
        Map<String, Object> sample = Map.of("a", 1L, "b", "text", "c", Map.of("d", List.of("x", "y")), "e", true);
        for (int i = 0; i < conversions; i++) {
            try (Nvlist n = Nvlist.of(sample)) {
                if (n.toMap().size() != 4) throw new AssertionError("round trip lost entries");
            }
        }
        for (int i = 0; i < exists; i += 2) {
            if (!lzc.exists(pool + "/there") || lzc.exists(pool + "/there@none")) throw new AssertionError("exists");
        }
        for (int i = 0; i < creates; i++) {
            try {
                lzc.create(pool + "/no/parent/x");
                throw new AssertionError("create without a parent succeeded");
            } catch (ParentNotFound expected) {
                // the failure path is what is measured
            }
        }
        for (int i = 0; i < snapshots; i++) {
            try {
                lzc.snapshot(List.of(pool + "/missing@s"), Map.of());
                throw new AssertionError("snapshot of a missing file system succeeded");
            } catch (SnapshotFailure expected) {
                // its error list comes back as an nvlist that must be freed
            }
        }
    }

    private static long settledHeap() {
        System.gc();
        org.bytedeco.javacpp.Pointer.deallocateReferences();
        return NativeDiagnostics.mallocInUse();
    }
}
