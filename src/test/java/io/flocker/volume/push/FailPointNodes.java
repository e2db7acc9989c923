package io.flocker.volume.push;

import static org.junit.jupiter.api.Assertions.*;

import io.flocker.testbed.TestBed;
import io.flocker.testbed.TestPool;
import io.flocker.testbed.TestPools;
import io.flocker.volume.FailPoints;
import io.flocker.volume.NodeIdentity;
import io.flocker.volume.VolumeName;
import io.flocker.volume.VolumeService;
import io.flocker.volume.docker.DockerDataContainers;
import io.flocker.volume.zfs.ZfsStoragePool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * Two nodes for the kill -9 tests ({@link FailPointsIT}, {@link HandoffFailPointsIT}): node A's
 * flocker-volume runs as a real bin/flocker-volume process that halts at a fail point; node B (a
 * second pool and identity) is reached through the guest's sshd, and its processes halt there for the
 * receiver's and the taker's points. The checks afterwards run in this JVM: never two writable
 * owners; repair leaves everything clean (a second repair does nothing, readonly and mounts agree
 * with the names); the data of the last successful push or of before the handoff is where it
 * belongs; and the operation can be completed. The table of points and results goes to the log and
 * to target/failpoints-CLASS.txt. Two classes, so that two test JVMs share the work.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class FailPointNodes {
    static final AtomicInteger SEQ = new AtomicInteger();
    private static final String RUN = Long.toString(System.nanoTime() & 0xffffff, 36);
    final TestPool poolA, poolB;
    Path dir;
    VolumeService a, b;
    DockerDataContainers docker;
    final Map<String, String> table = new LinkedHashMap<>();
    /**
     * -Dfailpoints=a,b,... runs only those (each costs several JVM starts in the guest: a minute under
     * emulation on a busy host); unset, every point in {@link FailPoints#ALL}.
     */
    static final List<String> SELECTED = System.getProperty("failpoints", "").isBlank() ? FailPoints.ALL
        : List.of(System.getProperty("failpoints").split(","));

    FailPointNodes(TestPools pools) {
        this.poolA = pools.get(0);
        this.poolB = pools.get(1);
    }

    @BeforeAll
    void nodes() throws Exception {
        TestBed.requireDocker();
        dir = Files.createTempDirectory("failpoints");
        docker = new DockerDataContainers("busybox");
        a = new VolumeService(NodeIdentity.load(dir.resolve("a.json")).uuid(),
            ZfsStoragePool.open(poolA.name(), poolA.mountpoint()), docker);
        b = new VolumeService(NodeIdentity.load(dir.resolve("b.json")).uuid(),
            ZfsStoragePool.open(poolB.name(), poolB.mountpoint()), docker);
    }

    @AfterAll
    void report() throws Exception {
        StringBuilder t = new StringBuilder(String.format("%-26s | %s%n", "fail point", "result"));
        table.forEach((k, v) -> t.append(String.format("%-26s | %s%n", k, v)));
        System.out.print(t);
        Path out = TestBed.projectDir().resolve("target/failpoints-" + getClass().getSimpleName() + ".txt");
        Files.createDirectories(out.getParent());
        Files.writeString(out, t);
        if (docker != null) docker.close();
    }

    String cli(String node, TestPool pool) {
        return TestBed.projectDir().resolve("bin/flocker-volume") + " --config " + dir.resolve(node + ".json")
            + " --pool " + pool.name() + " --mountpoint " + pool.mountpoint();
    }

    private String remote(String failPoint) {
        return (failPoint == null ? "" : "FLOCKER_VOLUME_JAVA_OPTS='" + javaOpts(failPoint) + "' ") + cli("b", poolB);
    }

    // C1 alone, as the test bed runs every flocker-volume in the guest (its TCG JIT fault), plus the fail point.
    private static String javaOpts(String failPoint) {
        return "-XX:TieredStopAtLevel=1" + (failPoint == null ? "" : " -D" + FailPoints.PROPERTY + "=" + failPoint);
    }

    /** Node A's flocker-volume as a process, halting at {@code local}; the far side at {@code far}. */
    TestBed.Result runA(String local, String far, String... args) {
        List<String> cmd = new ArrayList<>(List.of("env", "FLOCKER_VOLUME_JAVA_OPTS=" + javaOpts(local)));
        cmd.addAll(List.of(cli("a", poolA).split(" ")));
        List<String> rest = new ArrayList<>(List.of(args));
        if (rest.get(0).equals("push") || rest.get(0).equals("handoff")) {
            rest.addAll(1, List.of("-i", TestBed.sshKey().toString(), "--known-hosts", TestBed.knownHosts().toString(),
                "--remote-command", remote(far)));
        }
        cmd.addAll(rest);
        return TestBed.run(cmd);
    }

    /**
     * Node B in this JVM, for the steps around the one that halts (a push before it, completing after it):
     * what they test is the state the halt left, not the transport, and over SSH each would start a JVM
     * in the guest (seconds under emulation, three for a handoff).
     */
    RemoteNode nodeB() {
        return new MemoryRemote(b);
    }

    /** When the current case began (its fresh volume): the table says how long each case took. */
    private long caseStarted;

    VolumeName fresh() {
        caseStarted = System.nanoTime();
        return VolumeName.of("f" + RUN + "-" + SEQ.incrementAndGet());
    }

    record Copy(TestPool pool, UUID node, String ds, UUID owner, boolean writable) {
        boolean ownName() {
            return owner.equals(node);
        }
    }

    /** Every file system of volume {@code n} on both nodes, read with zfs, not with the code under test. */
    List<Copy> copies(VolumeName n) {
        List<Copy> out = new ArrayList<>();
        for (TestPool p : List.of(poolA, poolB)) {
            UUID node = p == poolA ? a.node() : b.node();
            for (String ds : p.all()) {
                String leaf = ds.substring(ds.lastIndexOf('/') + 1);
                if (ds.contains("@") || ds.contains("%") || !leaf.endsWith("." + n.value())) continue;
                out.add(new Copy(p, node, ds, UUID.fromString(leaf.substring(0, 36)), "off".equals(p.get(ds, "readonly"))));
            }
        }
        return out;
    }

    /** Never two writable owners, never a writable copy under another node's name. */
    String checkOwners(VolumeName n, String when) {
        List<Copy> cs = copies(n);
        List<Copy> writable = cs.stream().filter(Copy::writable).toList();
        assertTrue(writable.size() <= 1, when + ": two writable: " + writable);
        for (Copy c : writable) assertTrue(c.ownName(), when + ": writable under another node's name: " + c);
        assertTrue(cs.stream().filter(Copy::ownName).count() <= 1, when + ": two owners: " + cs);
        return writable.isEmpty() ? "no writer" : (writable.get(0).node().equals(a.node()) ? "A writes" : "B writes");
    }

    /** Repair on both nodes, in this JVM; afterwards all is consistent and a second repair has nothing to do. */
    List<String> repairBoth(VolumeName n) {
        List<String> done = new ArrayList<>(a.repair(n));
        done.addAll(b.repair(n));
        assertEquals(List.of(), a.repair(n), "clean after repair (A)");
        assertEquals(List.of(), b.repair(n), "clean after repair (B)");
        for (Copy c : copies(n)) {
            assertEquals(c.ownName(), c.writable(), "readonly follows the name: " + c);
            String key = c.owner() + "." + n.value();
            assertEquals(c.pool().mountpoint().resolve(key).toString(), c.pool().get(c.ds(), "mountpoint"), c.ds());
            boolean partial = !c.pool().zfs("list", "-H", "-t", "snapshot", "-o", "name", "-d", "1", c.ds()).contains("@");
            if (!partial) assertEquals("yes", c.pool().get(c.ds(), "mounted"), c.ds());
        }
        return done;
    }

    void record(String point, TestBed.Result r, String before, List<String> repaired, String completed) {
        table.put(point, "exit " + r.exitCode() + "; " + before + "; repair: " + (repaired.isEmpty() ? "nothing to do"
            : String.join(" / ", repaired.stream().map(l -> l.substring(l.indexOf(": ") + 2)).toList())) + "; " + completed
            + "; " + took());
    }

    String took() {
        return (System.nanoTime() - caseStarted) / 1_000_000_000 + " s";
    }

    static void halted(String point, TestBed.Result r) {
        assertEquals(FailPoints.EXIT_STATUS, r.exitCode(), point + " was not reached: " + r.stderr() + r.stdout());
    }
}
