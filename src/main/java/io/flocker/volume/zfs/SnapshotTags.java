package io.flocker.volume.zfs;

import io.flocker.lzc.LibZfsCore;
import io.flocker.lzc.errors.Errno;
import io.flocker.volume.StorageException;
import io.flocker.volume.VolumeException;
import java.util.HashMap;
import java.util.Map;

/**
 * User properties of a volume's snapshots, by channel program: the one way
 * to set a property on an existing snapshot without libzfs (a received
 * snapshot does not bring its sender's properties along), and one read for
 * all snapshots. Only values set on the snapshot itself count: a snapshot
 * also shows the user properties its file system has, and those tag nothing.
 */
final class SnapshotTags {
    private static final String READ = """
        local args = ...
        local ds, prop = args["ds"], args["prop"]
        local out = {}
        for s in zfs.list.snapshots(ds) do
          local v, src = zfs.get_prop(s, prop)
          if v ~= nil and src == s then out[s] = v end
        end
        return out
        """;

    private static final String SET = """
        local args = ...
        return {errno = zfs.sync.set_prop(args["snap"], args["prop"], args["value"])}
        """;

    private SnapshotTags() {}

    /** Full snapshot name to the value of {@code prop} set on it, for the snapshots of {@code ds} that have one. */
    static Map<String, String> read(LibZfsCore lzc, String pool, String ds, String prop) {
        Map<String, String> out = new HashMap<>();
        if (lzc.readProgram(pool, READ, Map.of("ds", ds, "prop", prop)).get("return") instanceof Map<?, ?> m) {
            m.forEach((k, v) -> out.put(String.valueOf(k), String.valueOf(v)));
        }
        return out;
    }

    /** Sets {@code prop} on snapshot {@code snap} (full name). */
    static void set(LibZfsCore lzc, String pool, String snap, String prop, String value) {
        Object r = lzc.channelProgram(pool, SET, Map.of("snap", snap, "prop", prop, "value", value),
            LibZfsCore.DEFAULT_INSTRUCTION_LIMIT, LibZfsCore.DEFAULT_MEMORY_LIMIT).get("return");
        if (r instanceof Map<?, ?> m && m.get("errno") instanceof Number n && n.intValue() != 0) {
            throw new StorageException("cannot set " + prop + " on snapshot " + VolumeException.quote(snap) + ": "
                + Errno.name(n.intValue()), null);
        }
    }
}
