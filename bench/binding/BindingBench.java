import io.flocker.lzc.DatasetInfo;
import io.flocker.lzc.LibZfsCore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The Java side of bench/binding: the same operations as lzc_bench.c, through
 * the binding. Usage: BindingBench create|snapshot|exists|list|snapshot-serial|snapshot-batch PARENT N [FIRST]
 * Prints every sample in ms on one line (one sample for the 1,000-snapshot runs).
 */
public final class BindingBench {
    public static void main(String[] args) {
        String op = args[0], parent = args[1];
        int n = Integer.parseInt(args[2]);
        int first = args.length > 3 ? Integer.parseInt(args[3]) : 0;
        LibZfsCore lzc = LibZfsCore.open();
        warmUp(lzc, parent);
        double[] t;
        switch (op) {
            case "create" -> t = time(n, i -> lzc.create(parent + "/c" + (first + i)));
            case "snapshot" -> t = time(n, i -> lzc.snapshot(parent + "@c" + (first + i)));
            case "exists" -> t = time(n, i -> check(lzc.exists(parent)));
            // The core properties (type, used, mountpoint, readonly, creation, guid, createtxg), no user ones.
            case "list" -> t = time(n, i -> check(lzc.list(parent, 1, false, List.of()).size() > 1));
            case "snapshot-serial" -> {
                // One snapshot call per file system, one after another.
                List<String> kids = children(lzc, parent);
                long t0 = System.nanoTime();
                for (String k : kids) lzc.snapshot(k + "@serial");
                t = new double[] {(System.nanoTime() - t0) / 1e6};
                n = kids.size();
            }
            case "snapshot-batch" -> {
                // All of them in one atomic call, one transaction group.
                List<String> snaps = new ArrayList<>();
                for (String k : children(lzc, parent)) snaps.add(k + "@batch");
                long t0 = System.nanoTime();
                lzc.snapshot(snaps, Map.of());
                t = new double[] {(System.nanoTime() - t0) / 1e6};
                n = snaps.size();
            }
            default -> throw new IllegalArgumentException(op);
        }
        StringBuilder b = new StringBuilder();
        for (double x : t) b.append(b.length() > 0 ? " " : "").append(String.format("%.3f", x));
        System.out.println(b);
    }

    private static List<String> children(LibZfsCore lzc, String parent) {
        List<String> kids = new ArrayList<>();
        for (DatasetInfo d : lzc.list(parent, 1, false, List.of())) if (!d.name().equals(parent)) kids.add(d.name());
        return kids;
    }

    /** Compiles the paths being timed (the JIT), without touching what is measured. */
    private static void warmUp(LibZfsCore lzc, String parent) {
        String w = parent + "-warm" + System.nanoTime();
        lzc.create(w);
        for (int i = 0; i < 300; i++) lzc.exists(w);
        for (int i = 0; i < 20; i++) {
            lzc.snapshot(w + "@w" + i);
            lzc.list(w, 1, true, List.of());
        }
    }

    private static void check(boolean ok) {
        if (!ok) throw new AssertionError("unexpected answer");
    }

    private interface Op {
        void run(int i);
    }

    private static double[] time(int n, Op op) {
        double[] t = new double[n];
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            op.run(i);
            t[i] = (System.nanoTime() - t0) / 1e6;
        }
        return t;
    }
}
