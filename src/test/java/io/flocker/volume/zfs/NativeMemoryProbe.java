package io.flocker.volume.zfs;

import io.flocker.volume.VolumeException;
import io.flocker.volume.VolumeId;
import io.flocker.volume.VolumeName;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/**
 * Run in a JVM of its own by {@link ZfsStoragePoolIT}: a fixed, pre-touched
 * heap and the serial collector keep the Java side of the resident set
 * still, so what still grows is native memory. Prints the growth of each
 * block of rounds in KiB, one per line.
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
            long before = rssKiB();
            for (int i = 0; i < rounds; i++) round.run();
            System.out.println(rssKiB() - before);
        }
    }

    private static long rssKiB() throws Exception {
        for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (l.startsWith("VmRSS:")) return Long.parseLong(l.replaceAll("[^0-9]", ""));
        }
        throw new IllegalStateException("no VmRSS");
    }
}
