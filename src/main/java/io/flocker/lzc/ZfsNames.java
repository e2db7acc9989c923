package io.flocker.lzc;

import io.flocker.lzc.errors.BookmarkNameInvalid;
import io.flocker.lzc.errors.FilesystemNameInvalid;
import io.flocker.lzc.errors.NameInvalid;
import io.flocker.lzc.errors.NameTooLong;
import io.flocker.lzc.errors.PoolsDiffer;
import io.flocker.lzc.errors.SnapshotNameInvalid;
import java.util.Collection;

/**
 * ZFS's naming rules, checked in Java so that a bad name never reaches the
 * kernel (which would answer with a bare EINVAL, or worse, ENOENT).
 *
 * <p>The rules follow OpenZFS's zfs_namecheck.c: components of letters,
 * digits and {@code - _ . : space}, separated by {@code /}; one {@code @}
 * (snapshot) or {@code #} (bookmark) in the last component; at most 255
 * characters in all and 50 levels of nesting; a pool name starts with a
 * letter and is not a vdev keyword.
 */
public final class ZfsNames {
    /** ZFS_MAX_DATASET_NAME_LEN minus the terminating NUL. */
    public static final int MAX_NAME_LENGTH = 255;
    /** zfs_max_dataset_nesting's default. */
    public static final int MAX_NESTING = 50;
    /** Hold tags are limited like dataset names (MAXNAMELEN - 1). */
    public static final int MAX_TAG_LENGTH = 255;

    private ZfsNames() {}

    /** Whether {@code c} may appear in a name component. */
    public static boolean isValidChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
            || c == '-' || c == '_' || c == '.' || c == ':' || c == ' ';
    }

    /** A file system or volume name, e.g. {@code tank/a/b}. */
    public static void checkFilesystem(String op, String name) {
        String why = filesystemProblem(name);
        if (why != null) throw new FilesystemNameInvalid(why, 0, op, String.valueOf(name));
        checkLength(op, name);
    }

    /** A snapshot name, e.g. {@code tank/a@today}. */
    public static void checkSnapshot(String op, String name) {
        String why = delimitedProblem(name, '@', "snapshot");
        if (why != null) throw new SnapshotNameInvalid(why, 0, op, String.valueOf(name));
        checkLength(op, name);
    }

    /** A bookmark name, e.g. {@code tank/a#mark}. */
    public static void checkBookmark(String op, String name) {
        String why = delimitedProblem(name, '#', "bookmark");
        if (why != null) throw new BookmarkNameInvalid(why, 0, op, String.valueOf(name));
        checkLength(op, name);
    }

    /** A snapshot or a bookmark (the source of an incremental send). */
    public static void checkSnapshotOrBookmark(String op, String name) {
        if (name != null && name.indexOf('#') >= 0) checkBookmark(op, name);
        else checkSnapshot(op, name);
    }

    /** A file system or a snapshot. */
    public static void checkFilesystemOrSnapshot(String op, String name) {
        if (name != null && name.indexOf('@') >= 0) checkSnapshot(op, name);
        else checkFilesystem(op, name);
    }

    /** A pool name. */
    public static void checkPool(String op, String name) {
        String why = poolProblem(name);
        if (why != null) throw new NameInvalid("not a valid pool name: " + why, 0, op, String.valueOf(name));
        checkLength(op, name);
    }

    /** A hold tag: any non-empty text up to 255 characters. */
    public static void checkHoldTag(String op, String tag) {
        if (tag == null || tag.isEmpty()) throw new NameInvalid("a hold tag must not be empty", 0, op, "\"\"");
        if (tag.length() > MAX_TAG_LENGTH) throw new NameTooLong(0, op, tag);
    }

    /** Atomic multi-object calls work within one pool only. */
    public static void checkOnePool(String op, Collection<String> names) {
        String first = null;
        for (String n : names) {
            if (first == null) first = n;
            else if (!poolOf(n).equals(poolOf(first))) throw new PoolsDiffer(0, op, first, n);
        }
    }

    /** The pool part of any dataset, snapshot or bookmark name. */
    public static String poolOf(String name) {
        int i = 0;
        while (i < name.length() && "/@#".indexOf(name.charAt(i)) < 0) i++;
        return name.substring(0, i);
    }

    /** The file system part of a snapshot or bookmark name (the name itself otherwise). */
    public static String filesystemOf(String name) {
        int i = 0;
        while (i < name.length() && "@#".indexOf(name.charAt(i)) < 0) i++;
        return name.substring(0, i);
    }

    /** Why {@code name} is not a valid file system name, or null if it is. */
    public static String filesystemProblem(String name) {
        if (name == null || name.isEmpty()) return "the name is empty";
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '@' || c == '#') return "'" + c + "' belongs in snapshot and bookmark names only";
        }
        return pathProblem(name);
    }

    private static String delimitedProblem(String name, char delim, String kind) {
        if (name == null || name.isEmpty()) return "the name is empty";
        int at = name.indexOf(delim);
        if (at < 0) return "a " + kind + " name has the form filesystem" + delim + "name";
        char other = delim == '@' ? '#' : '@';
        if (name.indexOf(other) >= 0) return "'" + other + "' is not allowed in a " + kind + " name";
        if (name.indexOf(delim, at + 1) >= 0) return "more than one '" + delim + "'";
        String fs = name.substring(0, at), part = name.substring(at + 1);
        if (part.isEmpty()) return "the " + kind + " part after '" + delim + "' is empty";
        if (part.indexOf('/') >= 0) return "'/' is not allowed after '" + delim + "'";
        String why = componentProblem(part);
        if (why != null) return why;
        if (fs.isEmpty()) return "the file system part before '" + delim + "' is empty";
        return pathProblem(fs);
    }

    private static String pathProblem(String path) {
        if (path.startsWith("/")) return "a name starts with the pool, not with '/'";
        if (path.endsWith("/")) return "trailing '/'";
        String[] parts = path.split("/", -1);
        if (parts.length - 1 > MAX_NESTING) return "nested deeper than " + MAX_NESTING + " levels";
        for (String p : parts) {
            if (p.isEmpty()) return "empty component (\"//\")";
            String why = componentProblem(p);
            if (why != null) return why;
        }
        return poolProblem(parts[0]);
    }

    private static String componentProblem(String c) {
        if (c.equals(".") || c.equals("..")) return "'" + c + "' is not allowed as a component";
        for (int i = 0; i < c.length(); i++) {
            char ch = c.charAt(i);
            if (!isValidChar(ch)) {
                return ch < 0x20 || ch == 0x7f
                    ? String.format("control character U+%04X is not allowed", (int) ch)
                    : "character '" + ch + "' is not allowed (letters, digits and - _ . : space only)";
            }
        }
        return null;
    }

    private static String poolProblem(String pool) {
        if (pool == null || pool.isEmpty()) return "the pool name is empty";
        String why = componentProblem(pool);
        if (why != null) return why;
        char first = pool.charAt(0);
        if (!((first >= 'a' && first <= 'z') || (first >= 'A' && first <= 'Z'))) {
            return "a pool name must begin with a letter";
        }
        if (pool.startsWith("mirror") || pool.startsWith("raidz") || pool.startsWith("draid")
            || pool.equals("spare") || pool.equals("log")) {
            return "'" + pool + "' is a reserved word for pool names";
        }
        if (pool.length() >= 2 && pool.charAt(0) == 'c' && pool.charAt(1) >= '0' && pool.charAt(1) <= '9') {
            return "a pool name may not look like a disk name (c0...)";
        }
        return null;
    }

    private static void checkLength(String op, String name) {
        if (name.length() > MAX_NAME_LENGTH) throw new NameTooLong(0, op, name);
    }
}
