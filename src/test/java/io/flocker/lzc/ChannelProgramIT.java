package io.flocker.lzc;

import static org.junit.jupiter.api.Assertions.*;

import io.flocker.lzc.errors.*;
import io.flocker.testbed.TestPool;
import io.flocker.testbed.WithTestPools;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Channel programs, and the listing built on them, on a real pool. */
@WithTestPools(size = "256M")
class ChannelProgramIT {
    private final LibZfsCore lzc = LibZfsCore.open();
    private final TestPool pool;

    ChannelProgramIT(TestPool pool) {
        this.pool = pool;
    }

    private Map<String, Object> run(String program, Map<String, ?> args) {
        return lzc.channelProgramNoSync(pool.name(), program, args, LibZfsCore.DEFAULT_INSTRUCTION_LIMIT,
            LibZfsCore.DEFAULT_MEMORY_LIMIT);
    }

    @Test
    void resultsComeBackAsJavaMaps() {
        Map<String, Object> r = run("""
            local args = ...
            return {name = args["name"], twice = args["n"] * 2, yes = true, nested = {a = "b"}}
            """, Map.of("name", "x", "n", new NvInt64(21)));
        @SuppressWarnings("unchecked")
        Map<String, Object> ret = (Map<String, Object>) r.get("return");
        assertEquals("x", ret.get("name"));
        assertEquals(42L, ret.get("twice"));
        assertEquals(true, ret.get("yes"));
        assertEquals(Map.of("a", "b"), ret.get("nested"));
    }

    @Test
    void syncProgramsChangeThePoolAtomically() {
        lzc.create(pool.ds("zcp"));
        Map<String, Object> r = lzc.channelProgram(pool.name(), """
            local args = ...
            local err = zfs.sync.snapshot(args["snap"])
            return err
            """, Map.of("snap", pool.ds("zcp@made")), LibZfsCore.DEFAULT_INSTRUCTION_LIMIT, LibZfsCore.DEFAULT_MEMORY_LIMIT);
        assertEquals(0L, r.get("return"));
        assertTrue(pool.has(pool.ds("zcp@made")));
        // Without sync, nothing may change.
        ZfsException e = assertThrows(ZfsException.class, () -> run(
            "return zfs.sync.snapshot(\"" + pool.ds("zcp@nosync") + "\")", Map.of()));
        assertFalse(pool.has(pool.ds("zcp@nosync")), e.getMessage());
    }

    @Test
    void errorsAreTyped() {
        ZcpSyntaxError syntax = assertThrows(ZcpSyntaxError.class, () -> run("this is not lua", Map.of()));
        assertTrue(syntax.getMessage().contains("channel program"), syntax.getMessage());
        ZcpRuntimeError runtime = assertThrows(ZcpRuntimeError.class, () -> run("error(\"boom 42\")", Map.of()));
        assertTrue(runtime.getMessage().contains("boom 42"), runtime.getMessage());
        assertThrows(ZcpTimeout.class, () -> lzc.channelProgramNoSync(pool.name(), "while true do end", Map.of(),
            1000, LibZfsCore.DEFAULT_MEMORY_LIMIT));
        assertThrows(ZcpMemoryError.class, () -> lzc.channelProgramNoSync(pool.name(),
            "local t = {} for i = 1, 10000000 do t[i] = i end", Map.of(), LibZfsCore.MAX_INSTRUCTION_LIMIT, 1 << 20));
        assertThrows(ZcpLimitInvalid.class, () -> lzc.channelProgramNoSync(pool.name(), "return 1", Map.of(), 0, 1000));
        assertThrows(ZcpLimitInvalid.class, () -> lzc.channelProgramNoSync(pool.name(), "return 1", Map.of(),
            1000, LibZfsCore.MAX_MEMORY_LIMIT + 1));
        assertThrows(PoolNotFound.class, () -> lzc.channelProgramNoSync("nosuchpool", "return 1", Map.of(), 1000, 1 << 20));
    }

    @Test
    void listsChildrenAndSnapshotsWithTheirProperties() {
        String parent = pool.ds("tree");
        lzc.create(parent);
        lzc.create(parent + "/b", DatasetType.FILESYSTEM, Map.of("io.flocker:tag", "bee", "readonly", "on"));
        lzc.create(parent + "/a");
        lzc.create(parent + "/a/deep");
        lzc.snapshot(parent + "/a@2");
        lzc.snapshot(parent + "/a@1");

        List<DatasetInfo> children = lzc.list(parent, 1, false);
        assertEquals(List.of(parent, parent + "/a", parent + "/b"), children.stream().map(DatasetInfo::name).toList());
        DatasetInfo b = children.get(2);
        assertEquals("filesystem", b.type());
        assertTrue(b.readonly());
        assertEquals("bee", b.userProperties().get("io.flocker:tag"));
        assertEquals(pool.get(parent + "/b", "mountpoint"), b.mountpoint());
        assertEquals(Long.parseUnsignedLong(pool.get(parent + "/b", "guid")), b.guid());
        assertEquals(Long.parseLong(pool.get(parent + "/b", "used")), b.used());
        assertEquals(Long.parseLong(pool.get(parent + "/b", "creation")), b.creation());

        List<DatasetInfo> all = lzc.list(parent, 10, true);
        assertEquals(List.of(parent, parent + "/a", parent + "/a@2", parent + "/a@1", parent + "/a/deep", parent + "/b"),
            all.stream().map(DatasetInfo::name).toList(), "snapshots follow their file system, oldest first");
        assertEquals(List.of("2", "1"), lzc.snapshots(parent + "/a").stream().map(DatasetInfo::shortName).toList());
        assertEquals("snapshot", lzc.get(parent + "/a@1").type());
        assertThrows(DatasetNotFound.class, () -> lzc.list(pool.ds("missing"), 1, false));
    }
}
