package io.flocker.lzc;

import static org.junit.jupiter.api.Assertions.*;

import io.flocker.lzc.errors.ZfsException;
import io.flocker.testbed.TestPool;
import io.flocker.testbed.WithTestPools;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * 8 threads x 200 mixed calls on one pool: no crash, every answer consistent
 * with what the thread did, and the pool afterwards exactly what all threads
 * together did, as the `zfs` command sees it.
 */
@WithTestPools(size = "512M")
class ConcurrencyIT {
    private static final int THREADS = 8, OPS = 200;
    private final LibZfsCore lzc = LibZfsCore.open();
    private final TestPool pool;

    ConcurrencyIT(TestPool pool) {
        this.pool = pool;
    }

    @Test
    void eightThreadsOfMixedCallsStayConsistent() throws Exception {
        Map<String, Set<String>> expected = new ConcurrentHashMap<>(); // fs -> its snapshots
        ExecutorService ex = Executors.newFixedThreadPool(THREADS);
        List<Future<Integer>> results = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int id = t;
            results.add(ex.submit(() -> worker(id, expected)));
        }
        int done = 0;
        for (Future<Integer> f : results) done += f.get();
        ex.shutdown();
        assertEquals(THREADS * OPS, done);

        TreeSet<String> want = new TreeSet<>();
        expected.forEach((fs, snaps) -> {
            want.add(fs);
            snaps.forEach(s -> want.add(fs + "@" + s));
        });
        TreeSet<String> have = new TreeSet<>(pool.all());
        have.remove(pool.name());
        assertEquals(want, have, "the pool holds exactly what the threads made");
        // And the binding's own view agrees with the zfs command's.
        TreeSet<String> listed = new TreeSet<>();
        for (DatasetInfo d : lzc.list(pool.name(), 10, true)) listed.add(d.name());
        listed.remove(pool.name());
        assertEquals(want, listed);
    }

    private int worker(int id, Map<String, Set<String>> expected) {
        Random rnd = new Random(1000 + id);
        String parent = pool.ds("w" + id);
        lzc.create(parent);
        expected.put(parent, new TreeSet<>());
        Map<String, Set<String>> mine = new TreeMap<>(); // children of this worker -> snapshots
        int snapSeq = 0, ops = 0;
        while (ops < OPS) {
            // Half the calls change the pool (each waits for a transaction group), half read it.
            int op = new int[] {0, 0, 3, 4, 6, 7, 5, 5, 8, 9}[rnd.nextInt(10)];
            List<String> kids = new ArrayList<>(mine.keySet());
            String kid = kids.isEmpty() ? null : kids.get(rnd.nextInt(kids.size()));
            try {
                if (op == 0 || kid == null) {
                    String fs = parent + "/c" + rnd.nextInt(12);
                    boolean exists = mine.containsKey(fs);
                    try {
                        lzc.create(fs);
                        assertFalse(exists, "create succeeded on an existing " + fs);
                        mine.put(fs, new TreeSet<>());
                    } catch (io.flocker.lzc.errors.FilesystemExists e) {
                        assertTrue(exists, "create said exists for a new " + fs);
                    }
                } else if (op == 3 || op == 4) {
                    String snap = "s" + (++snapSeq);
                    lzc.snapshot(List.of(kid + "@" + snap, parent + "@" + snap), Map.of());
                    mine.get(kid).add(snap);
                    expected.get(parent).add(snap);
                } else if (op == 5) {
                    assertEquals(true, lzc.exists(kid));
                    assertEquals(false, lzc.exists(kid + "@never"));
                } else if (op == 6) {
                    Set<String> snaps = mine.get(kid);
                    if (!snaps.isEmpty()) {
                        String s = snaps.iterator().next();
                        lzc.destroySnapshots(List.of(kid + "@" + s), false);
                        snaps.remove(s);
                    } else {
                        lzc.destroy(kid);
                        mine.remove(kid);
                    }
                } else if (op == 7) {
                    String to = parent + "/r" + rnd.nextInt(1000);
                    if (!mine.containsKey(to)) {
                        lzc.rename(kid, to);
                        mine.put(to, mine.remove(kid));
                    }
                } else if (op == 8) {
                    List<String> names = lzc.snapshots(kid).stream().map(DatasetInfo::shortName).toList();
                    assertEquals(new TreeSet<>(mine.get(kid)), new TreeSet<>(names), "snapshots of " + kid);
                } else {
                    Set<String> children = new TreeSet<>();
                    for (DatasetInfo d : lzc.list(parent, 1, false)) if (!d.name().equals(parent)) children.add(d.name());
                    assertEquals(mine.keySet(), children, "children of " + parent);
                }
            } catch (ZfsException e) {
                throw new AssertionError("worker " + id + " op " + op + ": " + e.getMessage(), e);
            }
            ops++;
        }
        mine.forEach(expected::put);
        return ops;
    }
}
