package io.flocker.lzc;

import static io.flocker.lzc.raw.LibZfsCoreNative.flocker_mount;
import static io.flocker.lzc.raw.LibZfsCoreNative.flocker_umount;

import io.flocker.lzc.errors.DatasetBusy;
import io.flocker.lzc.errors.Errno;
import io.flocker.lzc.errors.ZfsException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Mounting, which libzfs_core leaves to its callers: mount(2) with type "zfs"
 * and the dataset's name as the source, the way mount.zfs does it, without
 * forking it.
 */
public final class ZfsMounts {
    private static final long MS_RDONLY = 1, MS_NOSUID = 2, MS_NODEV = 4, MS_NOEXEC = 8;
    private static final int MNT_DETACH = 2;

    private static final FileAttribute<?> OWNER_ONLY =
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));

    private ZfsMounts() {}

    /**
     * Mounts {@code dataset} at {@code dir}, creating the directory (and its
     * parents) first. Always nosuid and nodev: a volume's contents come from
     * its containers and from other nodes, and mount(2), unlike libzfs, does
     * not turn the setuid and devices properties into flags. A read-only
     * mount, another node's copy, is noexec too.
     *
     * @param readOnly mount read-only (and noexec); a dataset with readonly=on is read-only anyway
     */
    public static void mount(String dataset, Path dir, boolean readOnly) {
        ZfsNames.checkFilesystem("mount", dataset);
        NativeLibrary.load();
        try {
            // A mount root made here is 0700: only root reaches the volumes of
            // all containers (and any planted file) from the host. An existing
            // one keeps the mode its administrator gave it.
            Files.createDirectories(dir, OWNER_ONLY);
        } catch (IOException e) {
            throw new ZfsException("cannot create mount directory " + dir + ": " + e.getMessage(), 0, "mount", dataset);
        }
        int err = flocker_mount(dataset, dir.toString(), "zfs", flags(readOnly), options(dir));
        if (err < 0) {
            int e = -err;
            if (e == Errno.EBUSY) throw new DatasetBusy("already mounted, or " + dir + " is busy", e, "mount", dataset);
            if (e == Errno.ENOENT) throw new io.flocker.lzc.errors.DatasetNotFound(e, "mount", dataset);
            if (e == Errno.EPERM || e == Errno.EACCES) throw new io.flocker.lzc.errors.PermissionDenied(e, "mount", dataset);
            throw new ZfsException("mounting at " + dir + " failed", e, "mount", dataset);
        }
    }

    static long flags(boolean readOnly) {
        return MS_NOSUID | MS_NODEV | (readOnly ? MS_RDONLY | MS_NOEXEC : 0);
    }

    /**
     * The data mount(2) gets: zfsutil, as mount.zfs passes it, and the mount
     * directory, which the kernel needs to mount .zfs/snapshot/NAME on first
     * use. A comma would split the options, so such a directory goes without.
     */
    static String options(Path dir) {
        String at = dir.toString();
        return at.indexOf(',') < 0 ? "zfsutil,mntpoint=" + at : "zfsutil";
    }

    /**
     * Unmounts whatever is mounted at {@code dir}.
     *
     * @param lazy detach now, finish when the last user leaves (MNT_DETACH)
     * @return false when nothing was mounted there
     */
    public static boolean unmount(Path dir, boolean lazy) {
        NativeLibrary.load();
        int err = flocker_umount(dir.toString(), lazy ? MNT_DETACH : 0);
        if (err == 0) return true;
        int e = -err;
        if (e == Errno.EINVAL || e == Errno.ENOENT) return false;
        if (e == Errno.EBUSY) throw new DatasetBusy("mount at " + dir + " is in use", e, "unmount", dir.toString());
        throw new ZfsException("unmounting " + dir + " failed", e, "unmount", dir.toString());
    }

    /** Every mounted ZFS dataset and where: dataset name to mount directory (the last mount wins). */
    public static Map<String, Path> mounted() {
        Map<String, Path> out = new LinkedHashMap<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(Path.of("/proc/self/mounts"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ZfsException("cannot read /proc/self/mounts: " + e.getMessage(), 0, "mount");
        }
        for (String line : lines) {
            String[] f = line.split(" ");
            if (f.length >= 3 && f[2].equals("zfs")) out.put(unescape(f[0]), Path.of(unescape(f[1])));
        }
        return out;
    }

    /** Where {@code dataset} is mounted, or null. */
    public static Path mountpointOf(String dataset) {
        return mounted().get(dataset);
    }

    // /proc/mounts writes space, tab, newline and backslash as octal escapes.
    private static String unescape(String s) {
        if (s.indexOf('\\') < 0) return s;
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && isOctal(s, i + 1)) {
                b.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    private static boolean isOctal(String s, int from) {
        if (from + 3 > s.length()) return false;
        for (int i = from; i < from + 3; i++) if (s.charAt(i) < '0' || s.charAt(i) > '7') return false;
        return true;
    }
}
