package io.flocker.volume.zfs;

import io.flocker.lzc.LibZfsCore;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The two user properties that ownership and repair keep on a volume's
 * dataset: {@value #EPOCH} (owner changes counted) and {@value #PENDING} (an
 * operation begun and not finished). Each read or change is one channel
 * program, so a change is one transaction group: a kill leaves the old value
 * or the new one.
 */
final class VolumeMarks {
    static final String EPOCH = "io.flocker:epoch";
    static final String PENDING = "io.flocker:pending";

    // zfs.sync.inherit drops a user property: nothing above a volume sets ours.
    private static final String PROGRAM = """
        local args = ...
        local ds, prop = args["ds"], args["prop"]
        if args["op"] == "set" then
          local err = zfs.sync.set_prop(ds, prop, args["value"])
          if err ~= 0 then return {errno = err} end
        elseif args["op"] == "clear" then
          local err = zfs.sync.inherit(ds, prop)
          if err ~= 0 then return {errno = err} end
        end
        local v, src = zfs.get_prop(ds, prop)
        if src ~= ds then v = nil end
        return {value = v}
        """;

    private VolumeMarks() {}

    /** The property's value set on {@code ds} itself, or null. */
    static String get(LibZfsCore lzc, String pool, String ds, String prop) {
        return value(lzc.readProgram(pool, PROGRAM, Map.of("ds", ds, "prop", prop, "op", "get")));
    }

    /** Sets the property, or drops it when {@code value} is null. */
    static void set(LibZfsCore lzc, String pool, String ds, String prop, String value) {
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("ds", ds);
        args.put("prop", prop);
        args.put("op", value == null ? "clear" : "set");
        if (value != null) args.put("value", value);
        Map<String, Object> out = lzc.channelProgram(pool, PROGRAM, args, LibZfsCore.DEFAULT_INSTRUCTION_LIMIT,
            LibZfsCore.DEFAULT_MEMORY_LIMIT);
        if (out.get("return") instanceof Map<?, ?> m && m.get("errno") instanceof Number n) {
            throw new io.flocker.lzc.errors.ZfsException("setting " + prop + " failed", n.intValue(), "set " + prop, ds);
        }
    }

    private static String value(Map<String, Object> out) {
        return out.get("return") instanceof Map<?, ?> m && m.get("value") != null ? m.get("value").toString() : null;
    }
}
