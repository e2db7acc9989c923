package io.flocker.volume.zfs;

import io.flocker.volume.VolumeException;
import io.flocker.volume.VolumeId;
import io.flocker.volume.VolumeName;
import java.nio.file.Path;
import java.util.UUID;

/**
 * Run in a JVM of its own by {@link ZfsStoragePoolIT}: the interpreter only
 * and the serial collector keep the JVM's own use of the C heap still (the
 * JIT compilers allocate and free megabytes as they go), so what the C heap
 * still holds after a block of rounds is ours. Prints the growth of each
 * block in KiB, one per line. The resident set is no measure: a leaked
 * block lands in pages the process touched before, and it does not grow.
 *
 * <p>Arguments: pool, mount root, owner UUID of volumes {@code res0..}, blocks, rounds per block,
 * and optionally bytes to leak per round on purpose (to prove the probe sees a leak).
 */
public final class NativeMemoryProbe {
    private NativeMemoryProbe() {}

    public static void main(String[] args) throws Exception {
        ZfsStoragePool pool = ZfsStoragePool.open(args[0], Path.of(args[1]));
        UUID owner = UUID.fromString(args[2]);
        int blocks = Integer.parseInt(args[3]);
        int rounds = Integer.parseInt(args[4]);
        long leak = args.length > 5 ? Long.parseLong(args[5]) : 0;
        VolumeId res = new VolumeId(owner, VolumeName.of("res0"));
        VolumeId missing = new VolumeId(owner, VolumeName.of("missing"));
        Runnable round = () -> {
            pool.list();
            pool.get(res);
            pool.get(missing);
            pool.snapshots(res);
            try {
                pool.destroy(missing);
            } catch (VolumeException expected) {
                // the error path must free what it used as well
            }
            if (leak > 0) org.bytedeco.javacpp.Pointer.memset(org.bytedeco.javacpp.Pointer.malloc(leak), 1, leak);
        };
        for (int i = 0; i < rounds; i++) round.run();
        for (int b = 0; b < blocks; b++) {
            long before = heapInUse();
            for (int i = 0; i < rounds; i++) round.run();
            System.out.println((heapInUse() - before) / 1024);
        }
    }

    private static long heapInUse() {
        System.gc();
        org.bytedeco.javacpp.Pointer.deallocateReferences();
        return io.flocker.lzc.NativeDiagnostics.mallocInUse();
    }
}
