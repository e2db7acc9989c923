package io.flocker.lzc;

import io.flocker.lzc.errors.PropertyInvalid;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Dataset properties as the kernel wants them. The ioctls take numbers for
 * numeric and index properties (compression, readonly, ...) and strings for
 * string and user properties; {@code zfs set} translates names like "lz4" or
 * "on" in libzfs, which libzfs_core does not. This class does it here, and
 * refuses values of the wrong type before they reach the kernel.
 */
public final class ZfsProperties {
    /** The longest value of a user property (ZFS_MAXPROPLEN). */
    public static final int MAX_USER_VALUE = 8191;
    /** The longest name of a user property (ZAP_MAXNAMELEN - 1). */
    public static final int MAX_USER_NAME = 255;

    private enum Kind { NUMBER, INDEX, STRING }

    private record Prop(Kind kind, Map<String, Long> values) {}

    private static final Map<String, Prop> PROPS = new HashMap<>();

    private static void number(String... names) {
        for (String n : names) PROPS.put(n, new Prop(Kind.NUMBER, Map.of()));
    }

    private static void string(String... names) {
        for (String n : names) PROPS.put(n, new Prop(Kind.STRING, Map.of()));
    }

    private static void index(String name, Object... pairs) {
        Map<String, Long> v = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) v.put((String) pairs[i], ((Number) pairs[i + 1]).longValue());
        PROPS.put(name, new Prop(Kind.INDEX, v));
    }

    static {
        number("quota", "refquota", "reservation", "refreservation", "recordsize", "volsize", "volblocksize",
            "special_small_blocks", "filesystem_limit", "snapshot_limit", "pbkdf2iters");
        string("mountpoint", "sharenfs", "sharesmb", "keylocation", "context", "fscontext", "defcontext", "rootcontext");
        Object[] onOff = {"off", 0, "on", 1};
        for (String n : new String[] {"readonly", "atime", "relatime", "devices", "exec", "setuid", "zoned", "vscan",
            "nbmand", "overlay", "utf8only", "jailed"}) {
            index(n, onOff);
        }
        index("canmount", "off", 0, "on", 1, "noauto", 2);
        index("compression", "on", 1, "off", 2, "lzjb", 3, "gzip", 10, "gzip-1", 5, "gzip-2", 6, "gzip-3", 7, "gzip-4", 8,
            "gzip-5", 9, "gzip-6", 10, "gzip-7", 11, "gzip-8", 12, "gzip-9", 13, "zle", 14, "lz4", 15, "zstd", 16);
        index("checksum", "on", 1, "off", 2, "fletcher2", 6, "fletcher4", 7, "sha256", 8, "noparity", 10,
            "sha512", 11, "skein", 12, "edonr", 13, "blake3", 14);
        index("sync", "standard", 0, "always", 1, "disabled", 2);
        index("logbias", "latency", 0, "throughput", 1);
        index("primarycache", "none", 0, "metadata", 1, "all", 2);
        index("secondarycache", "none", 0, "metadata", 1, "all", 2);
        index("copies", "1", 1, "2", 2, "3", 3);
        index("xattr", "off", 0, "dir", 1, "sa", 2, "on", 2);
        index("redundant_metadata", "all", 0, "most", 1, "some", 2, "none", 3);
        index("volmode", "default", 0, "geom", 1, "dev", 2, "none", 3);
        index("dnodesize", "legacy", 0, "auto", 1, "1k", 1024, "2k", 2048, "4k", 4096, "8k", 8192, "16k", 16384);
        index("keyformat", "none", 0, "raw", 1, "hex", 2, "passphrase", 3);
        index("encryption", "on", 1, "off", 2, "aes-128-ccm", 3, "aes-192-ccm", 4, "aes-256-ccm", 5,
            "aes-128-gcm", 6, "aes-192-gcm", 7, "aes-256-gcm", 8);
    }

    private ZfsProperties() {}

    /** Whether {@code name} is a user property ("module:property"). */
    public static boolean isUserProperty(String name) {
        return name != null && name.indexOf(':') > 0;
    }

    /**
     * The kernel's form of {@code props}: index names become numbers, sizes
     * like "10G" become bytes.
     *
     * @param op the operation, for the error message
     * @param target the dataset the properties are for, for the error message
     * @throws PropertyInvalid naming the property, when a name is unknown or read-only,
     *     or a value is of the wrong type or not one of the allowed ones
     */
    public static Map<String, Object> toKernel(String op, String target, Map<String, ?> props) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (props == null) return out;
        for (Map.Entry<String, ?> e : props.entrySet()) {
            String name = e.getKey();
            Object v = e.getValue();
            if (name == null || name.isEmpty()) throw invalid(op, target, "a property name is empty");
            if (isUserProperty(name)) {
                if (!(v instanceof String s)) throw invalid(op, target, "user property " + name + " takes a string value");
                if (name.length() > MAX_USER_NAME) throw invalid(op, target, "user property name " + name + " is too long");
                if (s.length() > MAX_USER_VALUE) {
                    throw invalid(op, target, "value of user property " + name + " is longer than " + MAX_USER_VALUE);
                }
                for (int i = 0; i < name.length(); i++) {
                    char c = name.charAt(i);
                    if (!(Character.isLetterOrDigit(c) && c < 128 || c == ':' || c == '-' || c == '_' || c == '.')) {
                        throw invalid(op, target, "user property name " + name + " has character '" + c + "'");
                    }
                }
                out.put(name, s);
                continue;
            }
            Prop p = PROPS.get(name);
            if (p == null) {
                throw invalid(op, target, "unknown or read-only property '" + name + "' (settable: "
                    + String.join(", ", new TreeMap<>(PROPS).keySet()) + ", or a user property module:name)");
            }
            out.put(name, convert(op, target, name, p, v));
        }
        return out;
    }

    private static Object convert(String op, String target, String name, Prop p, Object v) {
        switch (p.kind()) {
            case STRING:
                if (v instanceof String s) return s;
                throw invalid(op, target, "property " + name + " takes a string value, not " + describe(v));
            case NUMBER:
                if (v instanceof Long || v instanceof Integer) {
                    long n = ((Number) v).longValue();
                    if (n < 0) throw invalid(op, target, "property " + name + " must not be negative");
                    return n;
                }
                if (v instanceof String s) {
                    if (s.equals("none")) return 0L;
                    Long n = parseSize(s);
                    if (n != null) return n;
                }
                throw invalid(op, target, "property " + name + " takes a number of bytes (e.g. 1073741824 or \"1G\"), not "
                    + describe(v));
            case INDEX:
            default:
                if (v instanceof Boolean b && p.values().containsKey("on")) return b ? p.values().get("on") : p.values().get("off");
                if (v instanceof String s) {
                    Long n = p.values().get(s.toLowerCase(Locale.ROOT));
                    if (n != null) return n;
                }
                if (v instanceof Long || v instanceof Integer) {
                    long n = ((Number) v).longValue();
                    if (p.values().containsValue(n)) return n;
                }
                throw invalid(op, target, "property " + name + " takes one of " + String.join(", ", p.values().keySet())
                    + ", not " + describe(v));
        }
    }

    private static String describe(Object v) {
        return v == null ? "null" : v instanceof String s ? "\"" + s + "\"" : v.getClass().getSimpleName() + " " + v;
    }

    /** Bytes from "512", "4K", "1.5G", "10m"; null when the text is no size. */
    public static Long parseSize(String s) {
        if (s == null) return null;
        String t = s.trim();
        if (t.isEmpty()) return null;
        long mult = 1;
        char last = Character.toUpperCase(t.charAt(t.length() - 1));
        if (last == 'B' && t.length() > 1) {
            t = t.substring(0, t.length() - 1);
            last = Character.toUpperCase(t.charAt(t.length() - 1));
        }
        int shift = "KMGTPE".indexOf(last);
        if (shift >= 0) {
            mult = 1L << (10 * (shift + 1));
            t = t.substring(0, t.length() - 1);
        }
        try {
            if (t.contains(".")) {
                double d = Double.parseDouble(t) * mult;
                return d < 0 || d > Long.MAX_VALUE ? null : (long) d;
            }
            long n = Long.parseLong(t);
            if (n < 0 || n > Long.MAX_VALUE / mult) return null;
            return n * mult;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static PropertyInvalid invalid(String op, String target, String why) {
        return new PropertyInvalid(why, 0, op, target);
    }
}
