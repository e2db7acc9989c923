package io.flocker.lzc;

import static java.nio.charset.StandardCharsets.UTF_8;

import static io.flocker.lzc.raw.LibZfsCoreNative.*;

import io.flocker.lzc.raw.NvList;
import io.flocker.lzc.raw.NvPair;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * A native nvlist owned by Java: made from a {@code Map<String, Object>},
 * turned back into one, and freed exactly once by {@link #close()}.
 *
 * <p>Java values map to nvpair types as ZFS expects them:
 * <table>
 * <caption>value types</caption>
 * <tr><th>Java</th><th>nvpair</th></tr>
 * <tr><td>{@code Long}</td><td>uint64 (ZFS's numeric properties)</td></tr>
 * <tr><td>{@code Integer}</td><td>int32 (errno lists, descriptors)</td></tr>
 * <tr><td>{@link NvInt64}</td><td>int64 (channel program arguments); reads back as {@code Long}</td></tr>
 * <tr><td>{@code Boolean}</td><td>boolean_value</td></tr>
 * <tr><td>{@link #FLAG}</td><td>boolean (a name with no value, as in name sets)</td></tr>
 * <tr><td>{@code String}</td><td>string</td></tr>
 * <tr><td>{@code Map<String, ?>}</td><td>nvlist</td></tr>
 * <tr><td>{@code byte[]}</td><td>uint8_array</td></tr>
 * <tr><td>{@code List} of Long, Integer, Boolean, String or Map</td><td>the matching array type</td></tr>
 * </table>
 * Reading gives the same types back; every other integer type reads as
 * {@code Long}, every other array as a {@code List<Long>}.
 */
public final class Nvlist implements AutoCloseable {
    /** The value of a name that is present without a value (DATA_TYPE_BOOLEAN). */
    public static final Object FLAG = new Object() {
        @Override public String toString() { return "FLAG"; }
    };

    private static final int NV_UNIQUE_NAME = 1;
    private static final int DATA_TYPE_BOOLEAN = 1, DATA_TYPE_BYTE = 2, DATA_TYPE_INT16 = 3,
        DATA_TYPE_UINT16 = 4, DATA_TYPE_INT32 = 5, DATA_TYPE_UINT32 = 6, DATA_TYPE_INT64 = 7,
        DATA_TYPE_UINT64 = 8, DATA_TYPE_STRING = 9, DATA_TYPE_BYTE_ARRAY = 10, DATA_TYPE_INT16_ARRAY = 11,
        DATA_TYPE_UINT16_ARRAY = 12, DATA_TYPE_INT32_ARRAY = 13, DATA_TYPE_UINT32_ARRAY = 14,
        DATA_TYPE_INT64_ARRAY = 15, DATA_TYPE_UINT64_ARRAY = 16, DATA_TYPE_STRING_ARRAY = 17,
        DATA_TYPE_HRTIME = 18, DATA_TYPE_NVLIST = 19, DATA_TYPE_NVLIST_ARRAY = 20,
        DATA_TYPE_BOOLEAN_VALUE = 21, DATA_TYPE_INT8 = 22, DATA_TYPE_UINT8 = 23,
        DATA_TYPE_BOOLEAN_ARRAY = 24, DATA_TYPE_INT8_ARRAY = 25, DATA_TYPE_UINT8_ARRAY = 26;

    static { NativeLibrary.load(); }

    private NvList handle;
    private boolean closed;

    private Nvlist(NvList handle) {
        this.handle = handle;
    }

    /** An empty nvlist. */
    public static Nvlist empty() {
        return new Nvlist(alloc());
    }

    /**
     * A native copy of {@code map}. Nothing native is left behind when a value
     * cannot be converted.
     *
     * @throws IllegalArgumentException naming the key whose value has no nvpair type
     */
    public static Nvlist of(Map<String, ?> map) {
        NvList nvl = alloc();
        try {
            fill(nvl, map, "");
            return new Nvlist(nvl);
        } catch (RuntimeException | Error e) {
            nvlist_free(nvl);
            throw e;
        }
    }

    /**
     * Takes ownership of a native nvlist that libzfs_core handed out: it is
     * freed when the returned object is closed.
     */
    static Nvlist adopt(NvList nvl) {
        return new Nvlist(nvl == null || nvl.isNull() ? null : nvl);
    }

    /** The native pointer, for passing to libzfs_core; null for an adopted NULL. */
    NvList handle() {
        if (handle == null && closed) throw new IllegalStateException("nvlist already freed");
        return handle;
    }

    /** This nvlist as an ordered, unmodifiable Java map (empty for a NULL nvlist). */
    public Map<String, Object> toMap() {
        NvList h = handle();
        return h == null ? Map.of() : read(h);
    }

    /** Frees the native nvlist. Safe to call more than once. */
    @Override
    public void close() {
        if (handle != null) {
            nvlist_free(handle);
            handle.setNull();
            handle = null;
        }
        closed = true;
    }

    /** Converts and frees in one step. */
    static Map<String, Object> drain(NvList nvl) {
        try (Nvlist n = adopt(nvl)) {
            return n.toMap();
        }
    }

    /**
     * Reads a native nvlist someone else owns and will free (libzfs's cached
     * properties of an open dataset), without taking it over.
     */
    static Map<String, Object> readBorrowed(NvList nvl) {
        return nvl == null || nvl.isNull() ? Map.of() : read(nvl);
    }

    private static NvList alloc() {
        NvList nvl = new NvList((org.bytedeco.javacpp.Pointer) null);
        int err = nvlist_alloc(nvl, NV_UNIQUE_NAME, 0);
        if (err != 0) throw new OutOfMemoryError("nvlist_alloc failed with errno " + err);
        return nvl;
    }

    private static void fill(NvList nvl, Map<String, ?> map, String path) {
        for (Map.Entry<String, ?> e : map.entrySet()) {
            String key = e.getKey();
            if (key == null) throw new IllegalArgumentException("nvlist key at '" + path + "' is null");
            int err = add(nvl, key, e.getValue(), path + key);
            if (err != 0) throw new OutOfMemoryError("adding '" + path + key + "' to an nvlist failed with errno " + err);
        }
    }

    private static int add(NvList nvl, String key, Object v, String path) {
        if (v == FLAG) return nvlist_add_boolean(nvl, key);
        if (v instanceof Boolean b) return nvlist_add_boolean_value(nvl, key, b ? 1 : 0);
        if (v instanceof Long l) return nvlist_add_uint64(nvl, key, l);
        if (v instanceof Integer i) return nvlist_add_int32(nvl, key, i);
        if (v instanceof NvInt64 i) return nvlist_add_int64(nvl, key, i.value());
        if (v instanceof String s) return nvlist_add_string(nvl, key, s);
        if (v instanceof byte[] bytes) return nvlist_add_uint8_array(nvl, key, bytes, bytes.length);
        if (v instanceof Map<?, ?> m) {
            NvList child = alloc();
            try {
                fill(child, stringKeyed(m, path), path + "/");
                return nvlist_add_nvlist(nvl, key, child); // copies the child
            } finally {
                nvlist_free(child);
            }
        }
        if (v instanceof List<?> list) return addList(nvl, key, list, path);
        throw new IllegalArgumentException("nvlist value for '" + path + "' has no nvpair type: "
            + (v == null ? "null" : v.getClass().getName()));
    }

    private static int addList(NvList nvl, String key, List<?> list, String path) {
        Object first = list.isEmpty() ? null : list.get(0);
        for (Object o : list) {
            if (o == null || first == null || o.getClass() != first.getClass() && !(o instanceof Map && first instanceof Map)) {
                throw new IllegalArgumentException("nvlist array '" + path + "' must hold non-null values of one type");
            }
        }
        if (first == null) return nvlist_add_uint64_array(nvl, key, new long[0], 0);
        int n = list.size();
        if (first instanceof Long) {
            long[] a = new long[n];
            for (int i = 0; i < n; i++) a[i] = (Long) list.get(i);
            return nvlist_add_uint64_array(nvl, key, a, n);
        }
        if (first instanceof Integer) {
            int[] a = new int[n];
            for (int i = 0; i < n; i++) a[i] = (Integer) list.get(i);
            return nvlist_add_int32_array(nvl, key, a, n);
        }
        if (first instanceof Boolean) {
            try (IntPointer a = new IntPointer(n)) {
                for (int i = 0; i < n; i++) a.put(i, (Boolean) list.get(i) ? 1 : 0);
                return nvlist_add_boolean_array(nvl, key, a, n);
            }
        }
        if (first instanceof String) {
            // Every temporary is freed here, not left to the garbage collector.
            List<BytePointer> keep = new ArrayList<>(n);
            try (PointerPointer<BytePointer> p = new PointerPointer<>(n); BytePointer k = new BytePointer(key, UTF_8)) {
                for (int i = 0; i < n; i++) {
                    BytePointer s = new BytePointer((String) list.get(i), UTF_8);
                    keep.add(s);
                    p.put(i, s);
                }
                return nvlist_add_string_array(nvl, k, p, n);
            } finally {
                keep.forEach(BytePointer::close);
            }
        }
        if (first instanceof Map) {
            List<NvList> children = new ArrayList<>(n);
            try (PointerPointer<NvList> p = new PointerPointer<>(n); BytePointer k = new BytePointer(key, UTF_8)) {
                for (int i = 0; i < n; i++) {
                    NvList c = alloc();
                    children.add(c);
                    fill(c, stringKeyed((Map<?, ?>) list.get(i), path), path + "[" + i + "]/");
                    p.put(i, c);
                }
                return nvlist_add_nvlist_array(nvl, k, p, n);
            } finally {
                children.forEach(c -> nvlist_free(c));
            }
        }
        throw new IllegalArgumentException("nvlist array '" + path + "' has no nvpair type: " + first.getClass().getName());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, ?> stringKeyed(Map<?, ?> m, String path) {
        for (Object k : m.keySet()) {
            if (!(k instanceof String)) throw new IllegalArgumentException("nvlist keys under '" + path + "' must be strings");
        }
        return (Map<String, ?>) m;
    }

    private static Map<String, Object> read(NvList nvl) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (NvPair p = nvlist_next_nvpair(nvl, null); p != null && !p.isNull(); p = nvlist_next_nvpair(nvl, p)) {
            out.put(nvpair_name(p).getString(UTF_8), value(p));
        }
        return Collections.unmodifiableMap(out);
    }

    private static Object value(NvPair p) {
        int type = nvpair_type(p);
        switch (type) {
            case DATA_TYPE_BOOLEAN:
                return FLAG;
            case DATA_TYPE_BOOLEAN_VALUE: {
                try (IntPointer ip = new IntPointer(1)) {
                    check(nvpair_value_boolean_value(p, ip), p);
                    return ip.get() != 0;
                }
            }
            case DATA_TYPE_INT32: {
                int[] v = new int[1];
                check(nvpair_value_int32(p, v), p);
                return v[0];
            }
            case DATA_TYPE_BYTE: case DATA_TYPE_INT8: case DATA_TYPE_UINT8: case DATA_TYPE_INT16:
            case DATA_TYPE_UINT16: case DATA_TYPE_UINT32: case DATA_TYPE_INT64: case DATA_TYPE_UINT64:
            case DATA_TYPE_HRTIME:
                return scalar(p, type);
            case DATA_TYPE_STRING: {
                try (BytePointer s = new BytePointer((BytePointer) null)) {
                    check(nvpair_value_string(p, s), p);
                    return s.getString(UTF_8);
                }
            }
            case DATA_TYPE_NVLIST: {
                NvList child = new NvList((org.bytedeco.javacpp.Pointer) null);
                check(nvpair_value_nvlist(p, child), p);
                return read(child); // the child belongs to the parent: not freed here
            }
            case DATA_TYPE_NVLIST_ARRAY: {
                try (PointerPointer<NvList> arr = new PointerPointer<>((org.bytedeco.javacpp.Pointer) null);
                     IntPointer n = new IntPointer(1)) {
                    check(nvpair_value_nvlist_array(p, arr, n), p);
                    List<Object> out = new ArrayList<>(n.get());
                    for (int i = 0; i < n.get(); i++) out.add(read(arr.get(NvList.class, i)));
                    return Collections.unmodifiableList(out);
                }
            }
            case DATA_TYPE_STRING_ARRAY: {
                try (PointerPointer<BytePointer> arr = new PointerPointer<>((org.bytedeco.javacpp.Pointer) null);
                     IntPointer n = new IntPointer(1)) {
                    check(nvpair_value_string_array(p, arr, n), p);
                    List<Object> out = new ArrayList<>(n.get());
                    for (int i = 0; i < n.get(); i++) out.add(arr.get(BytePointer.class, i).getString(UTF_8));
                    return Collections.unmodifiableList(out);
                }
            }
            case DATA_TYPE_BYTE_ARRAY: case DATA_TYPE_UINT8_ARRAY: case DATA_TYPE_INT8_ARRAY: {
                try (BytePointer arr = new BytePointer((BytePointer) null); IntPointer n = new IntPointer(1)) {
                    check(type == DATA_TYPE_INT8_ARRAY
                        ? nvpair_value_int8_array(p, arr, n)
                        : type == DATA_TYPE_UINT8_ARRAY ? nvpair_value_uint8_array(p, arr, n)
                        : nvpair_value_byte_array(p, arr, n), p);
                    byte[] out = new byte[n.get()];
                    if (out.length > 0) arr.capacity(out.length).get(out);
                    return out;
                }
            }
            case DATA_TYPE_INT32_ARRAY: {
                try (IntPointer arr = new IntPointer((IntPointer) null); IntPointer n = new IntPointer(1)) {
                    check(nvpair_value_int32_array(p, arr, n), p);
                    List<Object> out = new ArrayList<>(n.get());
                    for (int i = 0; i < n.get(); i++) out.add(arr.get(i));
                    return Collections.unmodifiableList(out);
                }
            }
            case DATA_TYPE_BOOLEAN_ARRAY: {
                try (IntPointer arr = new IntPointer((IntPointer) null); IntPointer n = new IntPointer(1)) {
                    check(nvpair_value_boolean_array(p, arr, n), p);
                    List<Object> out = new ArrayList<>(n.get());
                    for (int i = 0; i < n.get(); i++) out.add(arr.get(i) != 0);
                    return Collections.unmodifiableList(out);
                }
            }
            case DATA_TYPE_UINT64_ARRAY: case DATA_TYPE_INT64_ARRAY: {
                try (LongPointer arr = new LongPointer((LongPointer) null); IntPointer n = new IntPointer(1)) {
                    check(type == DATA_TYPE_UINT64_ARRAY
                        ? nvpair_value_uint64_array(p, arr, n) : nvpair_value_int64_array(p, arr, n), p);
                    List<Object> out = new ArrayList<>(n.get());
                    for (int i = 0; i < n.get(); i++) out.add(arr.get(i));
                    return Collections.unmodifiableList(out);
                }
            }
            default:
                // 16-bit and 32-bit unsigned arrays, doubles: nothing in libzfs_core returns them.
                return "<nvpair type " + type + ">";
        }
    }

    private static long scalar(NvPair p, int type) {
        switch (type) {
            case DATA_TYPE_UINT64: { long[] v = new long[1]; check(nvpair_value_uint64(p, v), p); return v[0]; }
            case DATA_TYPE_INT64: { long[] v = new long[1]; check(nvpair_value_int64(p, v), p); return v[0]; }
            case DATA_TYPE_UINT32: { int[] v = new int[1]; check(nvpair_value_uint32(p, v), p); return v[0] & 0xffffffffL; }
            case DATA_TYPE_INT16: { short[] v = new short[1]; check(nvpair_value_int16(p, v), p); return v[0]; }
            case DATA_TYPE_UINT16: { short[] v = new short[1]; check(nvpair_value_uint16(p, v), p); return v[0] & 0xffffL; }
            case DATA_TYPE_INT8: { byte[] v = new byte[1]; check(nvpair_value_int8(p, v), p); return v[0]; }
            case DATA_TYPE_UINT8: { byte[] v = new byte[1]; check(nvpair_value_uint8(p, v), p); return v[0] & 0xffL; }
            case DATA_TYPE_BYTE: {
                try (BytePointer v = new BytePointer(1)) {
                    check(nvpair_value_byte(p, v), p);
                    return v.get() & 0xffL;
                }
            }
            default: return 0; // HRTIME: not bound (no caller needs it)
        }
    }

    private static void check(int err, NvPair p) {
        if (err != 0) throw new IllegalStateException("reading nvpair '" + nvpair_name(p).getString(UTF_8) + "' failed: errno " + err);
    }
}
