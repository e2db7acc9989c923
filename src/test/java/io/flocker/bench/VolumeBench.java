package io.flocker.bench;

import io.flocker.volume.VolumeId;
import io.flocker.volume.VolumeName;
import io.flocker.volume.VolumeService;
import io.flocker.volume.docker.DockerDataContainers;
import io.flocker.volume.zfs.ZfsStoragePool;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;

/**
 * What bench/volume runs (in the test guest, on a pool it made): the
 * library against the same work done by shell commands, and concurrent
 * against one-after-another creates. Speed claims live here, not in tests.
 */
public final class VolumeBench {
    private static final int CREATES = 10;
    private static final int LISTED = 1000;
    private static final int CONCURRENT = 100;
    private static final int THREADS = 8;

    private final String poolName;
    private final Path root;
    private final UUID node = UUID.randomUUID();
    private final ZfsStoragePool pool;
    private final DockerDataContainers docker = new DockerDataContainers("busybox");
    private final VolumeService service;

    private VolumeBench(String poolName, Path root) {
        this.poolName = poolName;
        this.root = root;
        this.pool = ZfsStoragePool.open(poolName, root);
        this.service = new VolumeService(node, pool, docker);
    }

    public static void main(String[] args) throws Exception {
        VolumeBench b = new VolumeBench(args[0], Path.of(args[1]));
        double create = b.createVersusShell();
        double list = b.listVersusZfsList();
        double parallel = b.serialVersusParallel();
        b.docker.close();
        System.out.printf(Locale.ROOT, "RATIO shell_over_java_create=%.2f zfslist_over_java_list1000=%.2f "
            + "serial_over_parallel_create100=%.2f%n", create, list, parallel);
    }

    /** One volume: library create vs zfs create + docker create by shell, per volume. */
    private double createVersusShell() throws Exception {
        for (int i = 0; i < 3; i++) service.create(VolumeName.of("warm" + i), Path.of("/data"));
        shell(script("warmsh", 0, 1));
        long t0 = System.nanoTime();
        for (int i = 0; i < CREATES; i++) service.create(VolumeName.of("lib" + i), Path.of("/data"));
        double java = (System.nanoTime() - t0) / 1e6 / CREATES;
        long t1 = System.nanoTime();
        shell(script("sh", 0, CREATES));
        double sh = (System.nanoTime() - t1) / 1e6 / CREATES;
        System.out.printf(Locale.ROOT, "create: library %.1f ms, shell (zfs create + docker create) %.1f ms per volume%n",
            java, sh);
        return sh / java;
    }

    /** The shell's way to make volumes prefix{from..to-1}: the same dataset, properties and container. */
    private String script(String prefix, int from, int to) {
        StringBuilder b = new StringBuilder("set -e\n");
        for (int i = from; i < to; i++) {
            String key = node + "." + prefix + i;
            b.append(String.format("zfs create -o mountpoint=%1$s/%2$s -o io.flocker:mount_path=/data %3$s/%2$s%n"
                + "docker create --name flocker-%4$s%5$d-data --label io.flocker.volume=%4$s%5$d -v %1$s/%2$s:/data "
                + "busybox true > /dev/null%n", root, key, poolName, prefix, i));
        }
        return b.toString();
    }

    /** 1,000 volumes: one library listing vs zfs list of the same properties. */
    private double listVersusZfsList() throws Exception {
        int have = service.list().size();
        parallel(LISTED - have, THREADS,
            i -> pool.create(new VolumeId(node, VolumeName.of("many" + i)), Path.of("/data"), false));
        if (service.list().size() != LISTED) throw new IllegalStateException("expected " + LISTED + " volumes");
        for (int i = 0; i < 3; i++) service.list();
        double java = best(5, () -> {
            if (service.list().size() != LISTED) throw new IllegalStateException("lost a volume");
        });
        String zfsList = "zfs list -H -p -d 1 -o name,used,mountpoint,readonly,io.flocker:mount_path " + poolName
            + " | wc -l > /dev/null";
        shell(zfsList);
        double sh = best(3, () -> shell(zfsList));
        System.out.printf(Locale.ROOT, "list %d volumes: library %.1f ms, zfs list %.1f ms%n", LISTED, java, sh);
        return sh / java;
    }

    /** 100 library creates (dataset, mount, container) one after another vs from 8 threads. */
    private double serialVersusParallel() throws Exception {
        long t0 = System.nanoTime();
        for (int i = 0; i < CONCURRENT; i++) service.create(VolumeName.of("serial" + i), Path.of("/data"));
        double serial = (System.nanoTime() - t0) / 1e6;
        long t1 = System.nanoTime();
        parallel(CONCURRENT, THREADS, i -> service.create(VolumeName.of("par" + i), Path.of("/data")));
        double par = (System.nanoTime() - t1) / 1e6;
        System.out.printf(Locale.ROOT, "%d creates: one after another %.0f ms, from %d threads %.0f ms%n",
            CONCURRENT, serial, THREADS, par);
        // The same for storage alone, to tell ZFS's share from Docker's.
        long t2 = System.nanoTime();
        for (int i = 0; i < CONCURRENT; i++) pool.create(new VolumeId(node, VolumeName.of("zs" + i)), Path.of("/d"), false);
        double zSerial = (System.nanoTime() - t2) / 1e6;
        long t3 = System.nanoTime();
        parallel(CONCURRENT, THREADS, i -> pool.create(new VolumeId(node, VolumeName.of("zp" + i)), Path.of("/d"), false));
        double zPar = (System.nanoTime() - t3) / 1e6;
        System.out.printf(Locale.ROOT, "  storage only (lzc_create + mount): %.0f ms vs %.0f ms, ratio %.2f%n",
            zSerial, zPar, zSerial / zPar);
        return serial / par;
    }

    private static void parallel(int n, int threads, IntConsumer task) throws Exception {
        ExecutorService ex = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int k = i;
                fs.add(ex.submit(() -> task.accept(k)));
            }
            for (Future<?> f : fs) f.get();
        } finally {
            ex.shutdown();
        }
    }

    private interface Work {
        void run() throws Exception;
    }

    /** The best of {@code n} runs, in ms: the least disturbed by the rest of the machine. */
    private static double best(int n, Work w) throws Exception {
        double[] t = new double[n];
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            w.run();
            t[i] = (System.nanoTime() - t0) / 1e6;
        }
        return Arrays.stream(t).min().orElseThrow();
    }

    private static void shell(String script) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("bash", "-c", script).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) throw new IllegalStateException("shell failed: " + out);
    }
}
