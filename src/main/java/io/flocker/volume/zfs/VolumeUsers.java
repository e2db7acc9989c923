package io.flocker.volume.zfs;

import io.flocker.lzc.LibZfsCore;
import io.flocker.lzc.errors.Errno;
import io.flocker.volume.StorageException;
import io.flocker.volume.VolumeException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * A volume's users, kept in the dataset as user properties, one per user:
 * {@value #PREFIX}{@code <hash>} = the user's ID. The name is a hash because
 * ZFS allows only lower-case letters, digits and {@code :-._} in property
 * names, while an ID is any text; the ID itself is the value. Each change is
 * one channel program that changes one property and then counts, in one
 * transaction group, so concurrent changes never lose one another and every
 * caller gets a count that includes its own change.
 */
final class VolumeUsers {
    /** Every user property of a volume's users starts with this. */
    static final String PREFIX = "io.flocker:user.";

    // zfs.sync.inherit drops a user property (a user property is never inherited
    // from a volume's pool, so dropping it is forgetting it).
    private static final String PROGRAM = """
        local args = ...
        local ds, op = args["ds"], args["op"]
        local err = 0
        if op == "add" then
          err = zfs.sync.set_prop(ds, args["prop"], args["user"])
        elseif op == "remove" then
          err = zfs.sync.inherit(ds, args["prop"])
        end
        if err ~= 0 then return {errno = err} end
        local users = {}
        local prefix = args["prefix"]
        for p, v in zfs.list.user_properties(ds) do
          if string.sub(p, 1, #prefix) == prefix then users[p] = v end
        end
        return {users = users}
        """;

    private VolumeUsers() {}

    static Set<String> add(LibZfsCore lzc, String pool, String ds, String user) {
        return change(lzc, pool, ds, "add", user);
    }

    static Set<String> remove(LibZfsCore lzc, String pool, String ds, String user) {
        return change(lzc, pool, ds, "remove", user);
    }

    static Set<String> list(LibZfsCore lzc, String pool, String ds) {
        return users(ds, lzc.readProgram(pool, PROGRAM, Map.of("ds", ds, "op", "list", "prefix", PREFIX)));
    }

    private static Set<String> change(LibZfsCore lzc, String pool, String ds, String op, String user) {
        Map<String, Object> args = new HashMap<>();
        args.put("ds", ds);
        args.put("op", op);
        args.put("prop", PREFIX + hash(user));
        args.put("user", user);
        args.put("prefix", PREFIX);
        return users(ds, lzc.channelProgram(pool, PROGRAM, args, LibZfsCore.DEFAULT_INSTRUCTION_LIMIT,
            LibZfsCore.DEFAULT_MEMORY_LIMIT));
    }

    private static Set<String> users(String ds, Map<String, Object> out) {
        Object r = out.get("return");
        if (r instanceof Map<?, ?> m && m.get("errno") instanceof Number n) {
            throw new StorageException("cannot record the users of " + VolumeException.quote(ds) + ": "
                + Errno.name(n.intValue()), null);
        }
        Set<String> users = new LinkedHashSet<>();
        if (r instanceof Map<?, ?> m && m.get("users") instanceof Map<?, ?> u) {
            for (Object v : u.values()) users.add(String.valueOf(v));
        }
        return users;
    }

    /** The property name's part for {@code user}: 128 bits of its SHA-256, in hex. */
    static String hash(String user) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(user.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }
}
