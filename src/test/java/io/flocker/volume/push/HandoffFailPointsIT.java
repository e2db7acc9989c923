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
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** kill -9 at each fail point of a handoff, of the release and takeover in it, and of a reclaim. */
@WithTestPools(count = 2, size = "512M")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HandoffFailPointsIT extends FailPointNodes {
    HandoffFailPointsIT(TestPools pools) {
        super(pools);
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
                new Pusher(a).handoff(n, nodeB(), PushOptions.defaults());
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
}
