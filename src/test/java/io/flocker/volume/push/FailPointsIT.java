package io.flocker.volume.push;

import static org.junit.jupiter.api.Assertions.*;

import io.flocker.testbed.TestBed;
import io.flocker.testbed.TestPool;
import io.flocker.testbed.TestPools;
import io.flocker.testbed.WithTestPools;
import io.flocker.volume.FailPoints;
import io.flocker.volume.NodeIdentity;
import io.flocker.volume.Volume;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * kill -9 at every fail point: for each one, the operation runs as a real
 * bin/flocker-volume process (node A) that halts there, the far side (node B:
 * a second pool and identity, through the guest's sshd) halting there for
 * the receiver's and the taker's points. Then, in this JVM: never two
 * writable owners; repair leaves everything clean (a second repair does
 * nothing, readonly and mounts agree with the names); the data of the last
 * successful push or of before the handoff is where it belongs; and the
 * operation can be completed. The table of points and results goes to the log
 * and to target/failpoints.txt.
 */
@WithTestPools(count = 2, size = "512M")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FailPointsIT {
    private static final AtomicInteger SEQ = new AtomicInteger();
    private static final String RUN = Long.toString(System.nanoTime() & 0xffffff, 36);
    private final TestPool poolA, poolB;
    private Path dir;
    private VolumeService a, b;
    private DockerDataContainers docker;
    private final Map<String, String> table = new LinkedHashMap<>();
    /**
     * -Dfailpoints=a,b,... runs only those (each costs several JVM starts in the guest: a minute under
     * emulation on a busy host); unset, every point in {@link FailPoints#ALL}.
     */
    private static final List<String> SELECTED = System.getProperty("failpoints", "").isBlank() ? FailPoints.ALL
        : List.of(System.getProperty("failpoints").split(","));

    FailPointsIT(TestPools pools) {
        this.poolA = pools.get(0);
        this.poolB = pools.get(1);
    }

    @BeforeAll
    void nodes() throws Exception {
        TestBed.requireDocker();
        dir = Files.createTempDirectory("failpoints-it");
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
        Path out = TestBed.projectDir().resolve("target/failpoints.txt");
        Files.createDirectories(out.getParent());
        Files.writeString(out, t);
        if (docker != null) docker.close();
    }

    private String cli(String node, TestPool pool) {
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
    private TestBed.Result runA(String local, String far, String... args) {
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

    private RemoteNode connectB() {
        return SshRemoteNode.connect(Destination.parse("root@127.0.0.1"), SshSettings.defaults()
            .withIdentities(List.of(TestBed.sshKey())).withKnownHosts(TestBed.knownHosts()).withRemoteCommand(remote(null)));
    }

    private VolumeName fresh() {
        return VolumeName.of("f" + RUN + "-" + SEQ.incrementAndGet());
    }

    private record Copy(TestPool pool, UUID node, String ds, UUID owner, boolean writable) {
        boolean ownName() {
            return owner.equals(node);
        }
    }

    /** Every file system of volume {@code n} on both nodes, read with zfs, not with the code under test. */
    private List<Copy> copies(VolumeName n) {
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
    private String checkOwners(VolumeName n, String when) {
        List<Copy> cs = copies(n);
        List<Copy> writable = cs.stream().filter(Copy::writable).toList();
        assertTrue(writable.size() <= 1, when + ": two writable: " + writable);
        for (Copy c : writable) assertTrue(c.ownName(), when + ": writable under another node's name: " + c);
        assertTrue(cs.stream().filter(Copy::ownName).count() <= 1, when + ": two owners: " + cs);
        return writable.isEmpty() ? "no writer" : (writable.get(0).node().equals(a.node()) ? "A writes" : "B writes");
    }

    /** Repair on both nodes, in this JVM; afterwards all is consistent and a second repair has nothing to do. */
    private List<String> repairBoth(VolumeName n) {
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

    private void record(String point, TestBed.Result r, String before, List<String> repaired, String completed) {
        table.put(point, "exit " + r.exitCode() + "; " + before + "; repair: " + (repaired.isEmpty() ? "nothing to do"
            : String.join(" / ", repaired.stream().map(l -> l.substring(l.indexOf(": ") + 2)).toList())) + "; " + completed);
    }

    private static void halted(String point, TestBed.Result r) {
        assertEquals(FailPoints.EXIT_STATUS, r.exitCode(), point + " was not reached: " + r.stderr() + r.stdout());
    }

    // ---- create and destroy ------------------------------------------------

    @Test
    void createAndDestroy() {
        for (String point : List.of(FailPoints.CREATE_DATASET_AFTER, FailPoints.CREATE_MOUNT_AFTER,
                FailPoints.CREATE_CONTAINER_AFTER)) {
            if (!SELECTED.contains(point)) continue;
            VolumeName n = fresh();
            TestBed.Result r = runA(point, null, "create", n.value(), "/data");
            halted(point, r);
            String before = checkOwners(n, point);
            List<String> done = repairBoth(n);
            Volume v = a.get(n).orElseThrow(() -> new AssertionError(point + ": repair finishes a create"));
            assertTrue(v.owned() && !v.readOnly());
            assertTrue(docker.exists(n), point + ": its data container");
            a.destroy(n);
            record(point, r, before, done, "create finished; destroyed after");
        }
        for (String point : List.of(FailPoints.DESTROY_MARK_AFTER, FailPoints.DESTROY_CONTAINER_AFTER,
                FailPoints.DESTROY_UNMOUNT_AFTER)) {
            if (!SELECTED.contains(point)) continue;
            VolumeName n = fresh();
            a.create(n, Path.of("/data"));
            TestBed.Result r = runA(point, null, "destroy", n.value());
            halted(point, r);
            String before = checkOwners(n, point);
            List<String> done = repairBoth(n);
            assertTrue(a.get(n).isEmpty(), point + ": repair finishes a destroy begun");
            assertFalse(docker.exists(n));
            record(point, r, before, done, "destroy finished");
        }
    }

    // ---- push and receive ----------------------------------------------------

    @Test
    void pushAndReceive() throws Exception {
        for (String point : List.of(FailPoints.PUSH_SNAPSHOT_AFTER, FailPoints.PUSH_STREAM_AFTER,
                FailPoints.RECEIVE_STREAM_BEFORE, FailPoints.RECEIVE_STREAM_AFTER, FailPoints.RECEIVE_MOUNT_AFTER)) {
            if (!SELECTED.contains(point)) continue;
            boolean far = point.startsWith("receive.");
            boolean first = point.equals(FailPoints.RECEIVE_MOUNT_AFTER); // only a first receive mounts
            VolumeName n = fresh();
            Volume v = a.create(n, Path.of("/data"));
            Files.writeString(v.mountpoint().resolve("state"), "v1");
            if (!first) try (RemoteNode rb = connectB()) {
                new Pusher(a).push(n, rb, PushOptions.defaults());
            }
            Files.writeString(v.mountpoint().resolve("state"), "v2");
            TestBed.Result r = far ? runA(null, point, "push", n.value(), "root@127.0.0.1")
                : runA(point, null, "push", n.value(), "root@127.0.0.1");
            if (far) {
                assertEquals(1, r.exitCode(), r.stderr());
                assertTrue(r.stderr().contains("exit status " + FailPoints.EXIT_STATUS), r.stderr());
            } else {
                halted(point, r);
            }
            String before = checkOwners(n, point);
            assertEquals("A writes", before, point);
            List<String> done = repairBoth(n);
            Path copy = poolB.mountpoint().resolve(a.node() + "." + n.value()).resolve("state");
            if (!first) assertTrue(List.of("v1", "v2").contains(Files.readString(copy)), point + ": the last push's data");
            try (RemoteNode rb = connectB()) {
                new Pusher(a).push(n, rb, PushOptions.defaults());
            }
            assertEquals("v2", Files.readString(copy), point + ": the push completes");
            record(point, r, before, done, "pushed again: copy complete");
        }
    }

    // ---- handoff, and the owner changes in it --------------------------------

    @Test
    void handoffReleaseAcquireReclaim() throws Exception {
        record Case(String local, String far) {}
        List<Case> cases = List.of(
            new Case(FailPoints.HANDOFF_PUSH_AFTER, null), new Case(FailPoints.HANDOFF_READONLY_AFTER, null),
            new Case(FailPoints.HANDOFF_FINAL_PUSH_AFTER, null), new Case(FailPoints.RELEASE_CONTAINER_AFTER, null),
            new Case(FailPoints.RELEASE_UNMOUNT_AFTER, null), new Case(FailPoints.RELEASE_RENAME_BEFORE, null),
            new Case(FailPoints.RELEASE_RENAME_AFTER, null), new Case(FailPoints.RELEASE_PROPERTIES_AFTER, null),
            new Case(FailPoints.HANDOFF_RELEASE_AFTER, null), new Case(FailPoints.HANDOFF_ACQUIRE_AFTER, null),
            new Case(null, FailPoints.ACQUIRE_UNMOUNT_AFTER), new Case(null, FailPoints.ACQUIRE_RENAME_BEFORE),
            new Case(null, FailPoints.ACQUIRE_RENAME_AFTER), new Case(null, FailPoints.ACQUIRE_PROPERTIES_AFTER),
            new Case(null, FailPoints.ACQUIRE_MOUNT_AFTER),
            // reclaim runs when the takeover there failed known and left the copy theirs
            new Case(FailPoints.RECLAIM_RENAME_AFTER, FailPoints.ACQUIRE_RENAME_BEFORE),
            new Case(FailPoints.RECLAIM_PROPERTIES_AFTER, FailPoints.ACQUIRE_RENAME_BEFORE));
        for (Case c : cases) {
            String point = c.local() != null ? c.local() : c.far();
            if (!SELECTED.contains(point)) continue;
            VolumeName n = fresh();
            Volume v = a.create(n, Path.of("/data"));
            Files.writeString(v.mountpoint().resolve("state"), "before the handoff");
            TestBed.Result r = runA(c.local(), c.far(), "handoff", n.value(), "root@127.0.0.1");
            if (c.local() != null) halted(point, r);
            String before = checkOwners(n, point);
            List<String> done = repairBoth(n);
            String after = checkOwners(n, point + " after repair");
            String completed;
            if (a.get(n).isPresent()) {
                try (RemoteNode rb = connectB()) {
                    new Pusher(a).handoff(n, rb, PushOptions.defaults());
                }
                completed = "A owned it: handed off again";
            } else if (b.get(n).isEmpty()) {
                b.acquire(a.node(), n);
                completed = "nobody owned it: B acquired";
            } else {
                completed = "B owned it";
            }
            checkOwners(n, point + " completed");
            Volume mine = b.get(n).orElseThrow(() -> new AssertionError(point + ": B owns it in the end"));
            assertFalse(mine.readOnly());
            assertEquals("before the handoff", Files.readString(mine.mountpoint().resolve("state")), point);
            Files.writeString(mine.mountpoint().resolve("after"), "B writes");
            record(point, r, before + (before.equals(after) ? "" : " -> " + after), done, completed);
            b.destroy(n);
        }
    }

    // ---- a reply lost ----------------------------------------------------------

    /**
     * The far side takes the volume over, and then its SSH session is killed
     * before the exit status is sent: the handoff asks on a new connection
     * and finds the new owner owning it. (The wrapper kills its session
     * after every acquire, so the second, idempotent acquire loses its reply
     * too.)
     */
    @Test
    void aReplyLostAfterASuccessfulTakeoverLeavesExactlyOneOwner() throws Exception {
        Path wrapper = dir.resolve("lose-reply.sh");
        Files.writeString(wrapper, """
            #!/bin/sh
            "$@"
            rc=$?
            for arg in "$@"; do [ "$arg" = acquire ] && lost=1; done
            if [ -n "$lost" ]; then
              p=$$
              while [ "$p" -gt 1 ]; do
                p=$(awk '{print $4}' /proc/$p/stat)
                case "$(cat /proc/$p/comm)" in sshd*) kill -9 "$p"; exit "$rc";; esac
              done
            fi
            exit "$rc"
            """);
        wrapper.toFile().setExecutable(true);
        VolumeName n = fresh();
        Volume v = a.create(n, Path.of("/data"));
        Files.writeString(v.mountpoint().resolve("state"), "before the handoff");
        List<String> cmd = new ArrayList<>(List.of(cli("a", poolA).split(" ")));
        cmd.addAll(List.of("handoff", "-i", TestBed.sshKey().toString(), "--known-hosts", TestBed.knownHosts().toString(),
            "--remote-command", wrapper + " " + cli("b", poolB), n.value(), "root@127.0.0.1"));
        TestBed.Result r = TestBed.run(cmd);
        assertEquals(0, r.exitCode(), "the handoff asked and found it done: " + r.stderr());
        assertEquals("B writes", checkOwners(n, "reply lost"));
        assertTrue(a.get(n).isEmpty());
        assertTrue(a.get(b.node(), n).orElseThrow().readOnly());
        Volume mine = b.get(n).orElseThrow();
        assertEquals("before the handoff", Files.readString(mine.mountpoint().resolve("state")));
        assertEquals(List.of(), a.repair(n));
        table.put("(reply lost after acquire)", "exit 0; B writes; the handoff asked B and found it owning");
        b.destroy(n);
    }
}
