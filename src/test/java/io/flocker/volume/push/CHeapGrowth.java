package io.flocker.volume.push;

import io.flocker.lzc.NativeDiagnostics;

/** How much the C heap grows over native work: measured over a second run, once the JIT's own C heap has settled. */
final class CHeapGrowth {
    private CHeapGrowth() {}

    interface Work {
        void run() throws Exception;
    }

    static long overSecondRun(Work work) throws Exception {
        work.run();
        long before = NativeDiagnostics.mallocInUse();
        work.run();
        return NativeDiagnostics.mallocInUse() - before;
    }
}
