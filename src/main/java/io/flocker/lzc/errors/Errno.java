package io.flocker.lzc.errors;

import java.util.HashMap;
import java.util.Map;

/**
 * The errno values libzfs_core returns on Linux: the C library's, and
 * OpenZFS's own (from 1024 up, appended in each release, never renumbered).
 */
public final class Errno {
    private Errno() {}

    public static final int EPERM = 1, ENOENT = 2, ESRCH = 3, EINTR = 4, EIO = 5, ENXIO = 6, E2BIG = 7,
        EBADF = 9, EAGAIN = 11, ENOMEM = 12, EACCES = 13, EFAULT = 14, EBUSY = 16, EEXIST = 17, EXDEV = 18,
        ENODEV = 19, ENOTDIR = 20, EISDIR = 21, EINVAL = 22, ENFILE = 23, EMFILE = 24, ETXTBSY = 26,
        EFBIG = 27, ENOSPC = 28, ESPIPE = 29, EROFS = 30, EMLINK = 31, EPIPE = 32, EDOM = 33, ERANGE = 34,
        EDEADLK = 35, ENAMETOOLONG = 36, ENOTSUP = 95, ENOTEMPTY = 39, ECHRNG = 44, EBADE = 52,
        ENOSTR = 60, ENODATA = 61, ETIME = 62, EOVERFLOW = 75, EBADMSG = 74, EILSEQ = 84, ENOTSOCK = 88,
        EDQUOT = 122, ECANCELED = 125, EKEYREJECTED = 129;

    /** OpenZFS calls EBADE "ECKSUM": a checksum did not match. */
    public static final int ECKSUM = EBADE;

    public static final int ZFS_ERR_CHECKPOINT_EXISTS = 1024;
    public static final int ZFS_ERR_DISCARDING_CHECKPOINT = 1025;
    public static final int ZFS_ERR_NO_CHECKPOINT = 1026;
    public static final int ZFS_ERR_DEVRM_IN_PROGRESS = 1027;
    public static final int ZFS_ERR_VDEV_TOO_BIG = 1028;
    public static final int ZFS_ERR_IOC_CMD_UNAVAIL = 1029;
    public static final int ZFS_ERR_IOC_ARG_UNAVAIL = 1030;
    public static final int ZFS_ERR_IOC_ARG_REQUIRED = 1031;
    public static final int ZFS_ERR_IOC_ARG_BADTYPE = 1032;
    public static final int ZFS_ERR_WRONG_PARENT = 1033;
    public static final int ZFS_ERR_FROM_IVSET_GUID_MISSING = 1034;
    public static final int ZFS_ERR_FROM_IVSET_GUID_MISMATCH = 1035;
    public static final int ZFS_ERR_SPILL_BLOCK_FLAG_MISSING = 1036;
    public static final int ZFS_ERR_UNKNOWN_SEND_STREAM_FEATURE = 1037;
    public static final int ZFS_ERR_EXPORT_IN_PROGRESS = 1038;
    public static final int ZFS_ERR_BOOKMARK_SOURCE_NOT_ANCESTOR = 1039;
    public static final int ZFS_ERR_STREAM_TRUNCATED = 1040;
    public static final int ZFS_ERR_STREAM_LARGE_BLOCK_MISMATCH = 1041;
    public static final int ZFS_ERR_RESILVER_IN_PROGRESS = 1042;
    public static final int ZFS_ERR_REBUILD_IN_PROGRESS = 1043;
    public static final int ZFS_ERR_BADPROP = 1044;
    public static final int ZFS_ERR_VDEV_NOTSUP = 1045;
    public static final int ZFS_ERR_NOT_USER_NAMESPACE = 1046;
    public static final int ZFS_ERR_RESUME_EXISTS = 1047;
    public static final int ZFS_ERR_CRYPTO_NOTSUP = 1048;
    public static final int ZFS_ERR_RAIDZ_EXPAND_IN_PROGRESS = 1049;
    public static final int ZFS_ERR_ASHIFT_MISMATCH = 1050;
    public static final int ZFS_ERR_STREAM_LARGE_MICROZAP = 1051;

    private static final Map<Integer, String> NAMES = new HashMap<>();
    static {
        for (var f : Errno.class.getFields()) {
            if (f.getType() != int.class || f.getName().equals("ECKSUM")) continue;
            try {
                NAMES.putIfAbsent(f.getInt(null), f.getName());
            } catch (IllegalAccessException e) {
                throw new AssertionError(e);
            }
        }
    }

    /** The symbolic name, e.g. {@code EEXIST}; {@code errno N} for one this table lacks. */
    public static String name(int errno) {
        String n = NAMES.get(errno);
        return n != null ? n : "errno " + errno;
    }
}
