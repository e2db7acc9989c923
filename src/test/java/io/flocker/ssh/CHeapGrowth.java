package io.flocker.ssh;

import io.flocker.lzc.NativeDiagnostics;

/**
 * How much the C heap grows over native work, once the JIT's own C heap has
 * settled. The heap is the whole process's, so the JVM's own allocations
 * (the JIT compiling on a busy machine, other threads) show up now and then:
 * the smallest growth over three runs is kept. A leak grows the heap in every
 * run; that noise does not.
 */
final class CHeapGrowth {
    private CHeapGrowth() {}

    interface Work {
        void run() throws Exception;
    }

    static long leastOverThreeRuns(Work work) throws Exception {
        work.run();
        long least = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            long before = NativeDiagnostics.mallocInUse();
            work.run();
            least = Math.min(least, NativeDiagnostics.mallocInUse() - before);
        }
        return least;
    }
}
