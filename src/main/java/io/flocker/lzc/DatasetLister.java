package io.flocker.lzc;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Listing, which libzfs_core has no call for: one read-only channel program
 * walks the tree and reads every property in one pass inside the kernel,
 * instead of one ioctl (or one `zfs` process) per dataset.
 */
final class DatasetLister {
    // ZCP has no pcall; zfs.get_prop answers nil for a property that does not
    // apply to the dataset's type, so one list serves every type. Each
    // get_prop holds the dataset anew (about as costly as a whole ioctl), and
    // walking every user property costs more than all the native ones
    // together: so the caller says which properties it needs.
    private static final String PROGRAM = """
        local args = ...
        local out = {}
        local function describe(name)
          local d = {}
          for p, _ in pairs(args["props"]) do
            local v = zfs.get_prop(name, p)
            if v ~= nil then d[p] = v end
          end
          local u = {}
          if args["alluser"] then
            for k, v in zfs.list.user_properties(name) do u[k] = v end
          else
            for p, _ in pairs(args["user"]) do
              local v = zfs.get_prop(name, p)
              if v ~= nil then u[p] = v end
            end
          end
          d["user"] = u
          out[name] = d
          return d["type"]
        end
        local function walk(name, depth)
          local t = describe(name)
          if t == "snapshot" then return end
          if args["snapshots"] then
            for s in zfs.list.snapshots(name) do describe(s) end
          end
          if depth > 0 then
            for c in zfs.list.children(name) do walk(c, depth - 1) end
          end
        end
        walk(args["root"], args["depth"])
        return out
        """;

    /** What every listing reads: enough to tell, order and own datasets. */
    static final List<String> CORE = List.of("type", "used", "mountpoint", "readonly", "creation", "guid", "createtxg");
    /** What a single {@code get} adds. */
    static final List<String> FULL = List.of("type", "used", "mountpoint", "readonly", "creation", "guid", "createtxg",
        "referenced", "available", "origin", "receive_resume_token");

    private DatasetLister() {}

    /**
     * @param userProperties the user properties to read, or null for all of them (slower)
     */
    static List<DatasetInfo> list(LibZfsCore lzc, String root, int depth, boolean snapshots, List<String> nativeProps,
                                  Collection<String> userProperties) {
        ZfsNames.checkFilesystemOrSnapshot("list", root);
        if (depth < 0) throw new IllegalArgumentException("list: depth must not be negative");
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("root", root);
        // Channel programs take numbers only as int64 nvpairs.
        args.put("depth", new NvInt64(Math.min(depth, 1000)));
        args.put("snapshots", snapshots);
        args.put("props", flags(nativeProps));
        args.put("alluser", userProperties == null);
        if (userProperties != null) {
            for (String u : userProperties) {
                if (!ZfsProperties.isUserProperty(u)) {
                    throw new IllegalArgumentException("list: " + u + " is not a user property (module:name)");
                }
            }
            args.put("user", flags(userProperties));
        }
        Map<String, Object> result;
        try {
            result = lzc.readProgram(ZfsNames.poolOf(root), PROGRAM, args);
        } catch (io.flocker.lzc.errors.ZcpRuntimeError e) {
            if (e.getMessage().contains("no such dataset")) {
                throw new io.flocker.lzc.errors.DatasetNotFound(e.errno(), "list", root);
            }
            throw e;
        }
        List<DatasetInfo> out = new ArrayList<>();
        Object ret = result.get("return");
        if (ret instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) out.add(info((String) e.getKey(), (Map<?, ?>) e.getValue()));
        }
        // Datasets by name; each one's snapshots right after it, oldest first.
        out.sort(Comparator.comparing((DatasetInfo d) -> ZfsNames.filesystemOf(d.name()))
            .thenComparing(d -> d.isSnapshot() ? 1 : 0)
            .thenComparingLong(DatasetInfo::createTxg));
        return out;
    }

    private static Map<String, Object> flags(Collection<String> names) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (String n : names) m.put(n, Boolean.TRUE);
        return m;
    }

    private static DatasetInfo info(String name, Map<?, ?> p) {
        Map<String, String> user = new LinkedHashMap<>();
        if (p.get("user") instanceof Map<?, ?> u) u.forEach((k, v) -> user.put((String) k, String.valueOf(v)));
        return new DatasetInfo(name, str(p.get("type")), num(p.get("used")), num(p.get("referenced")),
            num(p.get("available")), str(p.get("mountpoint")), "on".equals(p.get("readonly")), num(p.get("creation")),
            num(p.get("guid")), num(p.get("createtxg")), str(p.get("origin")), str(p.get("receive_resume_token")), user);
    }

    private static long num(Object o) {
        return o instanceof Number n ? n.longValue() : 0L;
    }

    private static String str(Object o) {
        return o == null ? null : o.toString();
    }
}
