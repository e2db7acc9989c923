package io.flocker.lzc;

import static io.flocker.lzc.raw.LibZfsNative.*;

import io.flocker.lzc.errors.Errno;
import io.flocker.lzc.errors.PropertyValueInvalid;
import io.flocker.lzc.errors.ZfsException;
import io.flocker.lzc.errors.ZfsUnavailable;
import io.flocker.lzc.raw.LibZfsHandle;
import io.flocker.lzc.raw.ZfsHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bytedeco.javacpp.BytePointer;

/**
 * The few libzfs calls libzfs_core lacks: setting native properties
 * ({@code readonly}, {@code mountpoint}, {@code quota}, {@code exec}, ...) on
 * an existing dataset, and reading properties with their source.
 *
 * <p>libzfs is not thread-safe: one instance holds one {@code libzfs_handle_t}
 * and every method is synchronized on the instance. Share one instance, or
 * open one per thread. Each call opens the dataset (zfs_open), works on it
 * and closes it again on every path, so no {@code zfs_handle_t} outlives a
 * call and properties are always read fresh. libzfs never prints here
 * (libzfs_print_on_error is off).
 *
 * <p>libzfs is a separate native library from libzfs_core: without
 * libzfs.so.6, {@link #open()} fails with {@link ZfsUnavailable} naming it,
 * and {@link LibZfsCore} still works.
 *
 * <p>Input is checked in Java first ({@link ZfsNames} for the dataset, the
 * form of the property name, the value's length); whether a name is a native
 * property is then asked of libzfs's property table, which needs no ioctl.
 * A refusal there changes nothing and has errno 0. libzfs's own errors (EZFS_*
 * codes, not errnos) become the binding's exceptions: EZFS_NOENT
 * {@link io.flocker.lzc.errors.DatasetNotFound}, EZFS_PERM
 * {@link io.flocker.lzc.errors.PermissionDenied}, EZFS_BUSY
 * {@link io.flocker.lzc.errors.DatasetBusy}, a refused property or value
 * (EZFS_BADPROP, EZFS_PROPREADONLY, EZFS_PROPTYPE, EZFS_PROPNONINHERIT,
 * EZFS_PROPSPACE) {@link PropertyValueInvalid} naming the property and the
 * value; any other a {@link ZfsException} whose reason is libzfs's
 * description. Their {@code errno()} is the errno closest to the code
 * (ENOENT for EZFS_NOENT, EINVAL for a bad property), or the code itself
 * (2000 and up).
 *
 * <h2>What setting a property does to mounts</h2>
 * Unlike libzfs_core, libzfs mounts. Found in OpenZFS 2.3.2 (LibZfsIT checks
 * each point, with file systems mounted by {@link ZfsMounts}):
 * <ul>
 * <li>{@code readonly}, {@code exec}, {@code setuid}, {@code devices},
 *     {@code atime}, {@code relatime}, ... on a mounted file system: after
 *     the ioctl, libzfs remounts it itself ({@code zfs_mount(..., "remount")})
 *     <em>at the path its mountpoint property names</em>, with options from
 *     all its properties. That mount then shows {@code ro} (or
 *     {@code noexec,nosuid,nodev,noatime}) in /proc/self/mountinfo.
 * <li>{@code readonly=on} also makes the file system's superblock read-only
 *     (the kernel does that with or without the remount): writes fail with
 *     EROFS through every mount of it, including a bind mount made before
 *     (whose own mount options still say {@code rw}). {@code readonly=off}
 *     makes all of them writable again.
 * <li>{@code exec}, {@code setuid}, {@code devices} and {@code atime} are
 *     per-mount flags: only the remounted mount gets them; a bind mount made
 *     before keeps its options (still exec, suid, dev).
 * <li>A file system mounted somewhere other than its mountpoint property:
 *     the value is set (and readonly takes effect through the superblock),
 *     but the remount of the property's path fails with EINVAL (libzfs
 *     creates that directory first): {@link io.flocker.lzc.errors.RemountFailed}.
 *     Properties without a mount option (quota, compression, user ones) never
 *     remount.
 * <li>{@code mountpoint} on a mounted file system: libzfs unmounts it
 *     (wherever it is mounted) and mounts it at the new path, creating the
 *     directory; the old directory stays. On an unmounted one with
 *     {@code canmount=on} it <em>mounts</em> it at the new path; with
 *     {@code canmount=noauto}, or to {@code mountpoint=none}, nothing is
 *     mounted.
 * </ul>
 */
public final class LibZfs implements AutoCloseable {
    private static final int ZFS_TYPE_FILESYSTEM = 1, ZFS_TYPE_SNAPSHOT = 2, ZFS_TYPE_VOLUME = 4;
    private static final int ZFS_TYPE_DATASET = ZFS_TYPE_FILESYSTEM | ZFS_TYPE_SNAPSHOT | ZFS_TYPE_VOLUME;
    private static final int ZPROP_INVAL = -1;
    private static final int ZPROP_SRC_LOCAL = 0x8;
    /** ZFS_MAXPROPLEN in 2.3 (8 KiB; 4 KiB in 2.1): no value is longer. */
    private static final int VALUE_BUFFER = 8192;
    private static final Path DEV_ZFS = Path.of("/dev/zfs");

    private LibZfsHandle hdl;
    /** The zfs_handle_t's open right now: 0 between calls (the leak test reads it). */
    private int openDatasets;
    /** Native property numbers, from libzfs's table, once. */
    private int[] nativeProperties;

    private LibZfs(LibZfsHandle hdl) {
        this.hdl = hdl;
    }

    /**
     * A new libzfs handle (libzfs_init). Close it when done.
     *
     * <p>/dev/zfs is checked first: without it libzfs_init would run
     * {@code modprobe zfs} itself and then wait up to 10 s for the device.
     *
     * @throws ZfsUnavailable when libzfs.so.6 cannot be loaded, /dev/zfs does
     *     not exist, or libzfs_init fails (the reason is libzfs's own words)
     */
    public static LibZfs open() {
        LibZfsLibrary.load();
        if (!Files.exists(DEV_ZFS)) {
            throw new ZfsUnavailable("libzfs: /dev/zfs does not exist (is the zfs kernel module loaded?)",
                Errno.ENOENT, "libzfs_init");
        }
        int[] err = new int[1];
        LibZfsHandle h = flocker_libzfs_init(err);
        if (h == null || h.isNull()) {
            throw new ZfsUnavailable("libzfs: " + string(libzfs_error_init(err[0])).replace('\n', ' '), err[0],
                "libzfs_init");
        }
        libzfs_print_on_error(h, 0);
        return new LibZfs(h);
    }

    /**
     * Sets one property (zfs_open, zfs_prop_set, zfs_close): a native one by
     * its {@code zfs set} name and value ("on", "10G", "lz4"), or a user
     * property (module:name).
     *
     * @throws PropertyValueInvalid naming the property and value when either is refused
     * @throws io.flocker.lzc.errors.DatasetNotFound when the dataset does not exist
     * @throws io.flocker.lzc.errors.RemountFailed when the value is set but libzfs could not
     *     remount the file system (see the class comment)
     */
    public synchronized void setProperty(String dataset, String property, String value) {
        String op = "zfs_prop_set";
        LibZfsInput.checkDataset(op, dataset);
        LibZfsInput.checkPropertyName(op, dataset, property);
        LibZfsInput.checkValue(op, dataset, property, value);
        requireOpen();
        checkSettable(op, dataset, property, value);
        ZfsHandle zh = openDataset(op, dataset);
        try {
            if (zfs_prop_set(zh, property, value) != 0) throw failure(op, dataset, property, value);
        } finally {
            closeDataset(zh);
        }
    }

    /**
     * Sets several properties in one call (zfs_prop_set_list). libzfs checks
     * every name and value before anything is set, so a bad one sets none;
     * the kernel then sets them in one ioctl, one after another, so one it
     * refuses there (a quota below what is used) can leave the others set.
     * libzfs names the failing property only in its description, when at
     * all: the exception names it when the description quotes its name or
     * value, else all of them.
     */
    public synchronized void setProperties(String dataset, Map<String, String> props) {
        String op = "zfs_prop_set_list";
        LibZfsInput.checkDataset(op, dataset);
        if (props == null || props.isEmpty()) throw new IllegalArgumentException(op + " " + dataset + ": no properties given");
        for (Map.Entry<String, String> e : props.entrySet()) {
            LibZfsInput.checkPropertyName(op, dataset, e.getKey());
            LibZfsInput.checkValue(op, dataset, e.getKey(), e.getValue());
        }
        requireOpen();
        for (Map.Entry<String, String> e : props.entrySet()) checkSettable(op, dataset, e.getKey(), e.getValue());
        ZfsHandle zh = openDataset(op, dataset);
        try (Nvlist list = Nvlist.of(props)) {
            if (zfs_prop_set_list(zh, list.handle()) != 0) {
                int code = libzfs_errno(hdl);
                String description = string(libzfs_error_description(hdl));
                Map.Entry<String, String> named = namedIn(description, props);
                throw LibZfsErrors.of(op, dataset, named == null ? String.join(",", props.keySet()) : named.getKey(),
                    named == null ? null : named.getValue(), code, description);
            }
        } finally {
            closeDataset(zh);
        }
    }

    /**
     * A property's value in parsable form, as {@code zfs get -Hp} prints it
     * (bytes, not "10G"; "on"/"off"; a mountpoint's path), native or user.
     *
     * @return null when the property does not apply to this dataset (volsize
     *     on a file system) or a user property is not set
     */
    public synchronized String getProperty(String dataset, String property) {
        String op = "zfs_prop_get";
        LibZfsInput.checkDataset(op, dataset);
        LibZfsInput.checkPropertyName(op, dataset, property);
        requireOpen();
        int prop = ZfsProperties.isUserProperty(property) ? ZPROP_INVAL : nativeProperty(op, dataset, property);
        ZfsHandle zh = openDataset(op, dataset);
        try {
            if (prop == ZPROP_INVAL) {
                Object entry = Nvlist.readBorrowed(zfs_get_user_props(zh)).get(property);
                return entry instanceof Map<?, ?> m && m.get("value") instanceof String s ? s : null;
            }
            return nativeValue(zh, prop, null);
        } finally {
            closeDataset(zh);
        }
    }

    /**
     * The native properties set on the dataset itself: those whose source is
     * {@code local}, by their {@code zfs get -p} names and values. Not
     * counted: {@code default}, {@code inherited} (from a parent),
     * {@code received} (by zfs receive, unless since set locally),
     * {@code temporary} (a mount option) and {@code none} (read-only
     * statistics). User properties are not listed ({@link LibZfsCore#get}).
     */
    public synchronized Map<String, String> localProperties(String dataset) {
        String op = "zfs_prop_get";
        LibZfsInput.checkDataset(op, dataset);
        requireOpen();
        int[] props = nativeProperties();
        Map<String, String> out = new LinkedHashMap<>();
        ZfsHandle zh = openDataset(op, dataset);
        try {
            int[] source = new int[1];
            for (int prop : props) {
                String value = nativeValue(zh, prop, source);
                if (value != null && source[0] == ZPROP_SRC_LOCAL) out.put(string(zfs_prop_to_name(prop)), value);
            }
        } finally {
            closeDataset(zh);
        }
        return Collections.unmodifiableMap(out);
    }

    /** Frees the libzfs handle (libzfs_fini). Safe to call more than once. */
    @Override
    public synchronized void close() {
        if (hdl != null) {
            libzfs_fini(hdl);
            hdl = null;
        }
    }

    /** How many zfs_handle_t's are open: always 0 between calls. */
    synchronized int openDatasets() {
        return openDatasets;
    }

    // ---- helpers ---------------------------------------------------------

    private void requireOpen() {
        if (hdl == null) throw new IllegalStateException("this LibZfs is closed");
    }

    /** A native property libzfs knows and that can be set, or a user property. */
    private void checkSettable(String op, String dataset, String property, String value) {
        if (ZfsProperties.isUserProperty(property)) return;
        int prop = nativeProperty(op, dataset, property);
        if (zfs_prop_readonly(prop) != 0) {
            throw new PropertyValueInvalid("the property is read-only", 0, op, dataset, property, value);
        }
    }

    private int nativeProperty(String op, String dataset, String property) {
        int prop = zfs_name_to_prop(property);
        if (prop == ZPROP_INVAL) {
            throw new PropertyValueInvalid("no such native property (a user property is module:name)", 0, op, dataset,
                property, null);
        }
        return prop;
    }

    private int[] nativeProperties() {
        if (nativeProperties == null) {
            int[] props = new int[128];
            int n = flocker_zfs_props(ZFS_TYPE_DATASET, props, props.length);
            if (n > props.length) {
                props = new int[n];
                n = flocker_zfs_props(ZFS_TYPE_DATASET, props, props.length);
            }
            nativeProperties = java.util.Arrays.copyOf(props, n);
        }
        return nativeProperties;
    }

    /** zfs_prop_get in literal (parsable) form; null when the property does not apply. */
    private static String nativeValue(ZfsHandle zh, int prop, int[] source) {
        byte[] buf = new byte[VALUE_BUFFER];
        int[] src = source != null ? source : new int[1];
        // libzfs works out the source only when given a buffer for where it is
        // inherited from (get_source returns early without one).
        byte[] from = new byte[ZfsNames.MAX_NAME_LENGTH + 1];
        int err = zfs_prop_get(zh, prop, buf, buf.length, src, from, from.length, 1);
        return err == 0 ? cString(buf) : null;
    }

    private ZfsHandle openDataset(String op, String dataset) {
        ZfsHandle zh = zfs_open(hdl, dataset, ZFS_TYPE_DATASET);
        if (zh == null || zh.isNull()) throw failure(op, dataset, null, null);
        openDatasets++;
        return zh;
    }

    private void closeDataset(ZfsHandle zh) {
        zfs_close(zh);
        openDatasets--;
    }

    private ZfsException failure(String op, String dataset, String property, String value) {
        return LibZfsErrors.of(op, dataset, property, value, libzfs_errno(hdl), string(libzfs_error_description(hdl)));
    }

    /** The property whose name or value libzfs's description quotes, when it quotes one. */
    private static Map.Entry<String, String> namedIn(String description, Map<String, String> props) {
        if (description == null) return null;
        for (Map.Entry<String, String> e : props.entrySet()) {
            if (description.contains("'" + e.getKey() + "'")) return e;
        }
        for (Map.Entry<String, String> e : props.entrySet()) {
            if (description.contains("'" + e.getValue() + "'")) return e;
        }
        return null;
    }

    private static String string(BytePointer p) {
        return p == null || p.isNull() ? "" : p.getString(StandardCharsets.UTF_8);
    }

    private static String cString(byte[] b) {
        int n = 0;
        while (n < b.length && b[n] != 0) n++;
        return new String(b, 0, n, StandardCharsets.UTF_8);
    }
}
