package io.flocker.volume.push;

import static org.junit.jupiter.api.Assertions.*;

import io.flocker.testbed.TestBed;
import io.flocker.testbed.TestPools;
import io.flocker.testbed.WithTestPools;
import io.flocker.volume.FailPoints;
import io.flocker.volume.Volume;
import io.flocker.volume.VolumeName;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** kill -9 at each fail point of create, destroy, push and receive, and a reply lost after a takeover. */
@WithTestPools(count = 2, size = "512M")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FailPointsIT extends FailPointNodes {
    FailPointsIT(TestPools pools) {
        super(pools);
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
            if (!first) new Pusher(a).push(n, nodeB(), PushOptions.defaults());
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
            new Pusher(a).push(n, nodeB(), PushOptions.defaults());
            assertEquals("v2", Files.readString(copy), point + ": the push completes");
            record(point, r, before, done, "pushed again: copy complete");
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
        table.put("(reply lost after acquire)", "exit 0; B writes; the handoff asked B and found it owning; " + took());
        b.destroy(n);
    }
}
