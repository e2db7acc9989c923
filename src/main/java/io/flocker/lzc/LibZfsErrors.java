package io.flocker.lzc;

import static io.flocker.lzc.errors.Errno.*;

import io.flocker.lzc.errors.DatasetBusy;
import io.flocker.lzc.errors.DatasetNotFound;
import io.flocker.lzc.errors.NameInvalid;
import io.flocker.lzc.errors.NameTooLong;
import io.flocker.lzc.errors.NoSpace;
import io.flocker.lzc.errors.PermissionDenied;
import io.flocker.lzc.errors.PropertyValueInvalid;
import io.flocker.lzc.errors.ReadOnlyPool;
import io.flocker.lzc.errors.ZfsException;
import java.util.Map;

/**
 * libzfs's errors as the binding's exceptions. libzfs reports an EZFS_* code
 * (2000 and up, not an errno) and a description ("bad numeric value 'x'");
 * the code picks the exception, the description is its reason, and the
 * exception's errno is the errno closest to the code (ENOENT for
 * EZFS_NOENT), or the code itself when there is none.
 *
 * <p>Only codes before EZFS_SCRUBBING are named here: OpenZFS 2.2 inserted
 * new codes after it, so later ones differ between releases (checked at
 * compile time in native/flocker_libzfs.h).
 */
final class LibZfsErrors {
    static final int EZFS_NOMEM = 2000, EZFS_BADPROP = 2001, EZFS_PROPREADONLY = 2002, EZFS_PROPTYPE = 2003,
        EZFS_PROPNONINHERIT = 2004, EZFS_PROPSPACE = 2005, EZFS_BADTYPE = 2006, EZFS_BUSY = 2007,
        EZFS_EXISTS = 2008, EZFS_NOENT = 2009, EZFS_DSREADONLY = 2011, EZFS_INVALIDNAME = 2013,
        EZFS_ZONED = 2026, EZFS_MOUNTFAILED = 2027, EZFS_UMOUNTFAILED = 2028, EZFS_PERM = 2031,
        EZFS_NOSPC = 2032, EZFS_IO = 2034, EZFS_NAMETOOLONG = 2043, EZFS_NOTSUP = 2056;

    private static final Map<Integer, String> NAMES = Map.ofEntries(
        Map.entry(EZFS_NOMEM, "EZFS_NOMEM"), Map.entry(EZFS_BADPROP, "EZFS_BADPROP"),
        Map.entry(EZFS_PROPREADONLY, "EZFS_PROPREADONLY"), Map.entry(EZFS_PROPTYPE, "EZFS_PROPTYPE"),
        Map.entry(EZFS_PROPNONINHERIT, "EZFS_PROPNONINHERIT"), Map.entry(EZFS_PROPSPACE, "EZFS_PROPSPACE"),
        Map.entry(EZFS_BADTYPE, "EZFS_BADTYPE"), Map.entry(EZFS_BUSY, "EZFS_BUSY"),
        Map.entry(EZFS_EXISTS, "EZFS_EXISTS"), Map.entry(EZFS_NOENT, "EZFS_NOENT"),
        Map.entry(EZFS_DSREADONLY, "EZFS_DSREADONLY"), Map.entry(EZFS_INVALIDNAME, "EZFS_INVALIDNAME"),
        Map.entry(EZFS_ZONED, "EZFS_ZONED"), Map.entry(EZFS_MOUNTFAILED, "EZFS_MOUNTFAILED"),
        Map.entry(EZFS_UMOUNTFAILED, "EZFS_UMOUNTFAILED"), Map.entry(EZFS_PERM, "EZFS_PERM"),
        Map.entry(EZFS_NOSPC, "EZFS_NOSPC"), Map.entry(EZFS_IO, "EZFS_IO"),
        Map.entry(EZFS_NAMETOOLONG, "EZFS_NAMETOOLONG"), Map.entry(EZFS_NOTSUP, "EZFS_NOTSUP"));

    private LibZfsErrors() {}

    /** EZFS_NOENT and the like; "EZFS code N" for one not named here. */
    static String name(int code) {
        String n = NAMES.get(code);
        return n != null ? n : "EZFS code " + code;
    }

    /** The errno a libzfs code stands for, or the code itself. */
    static int errno(int code) {
        switch (code) {
            case EZFS_NOMEM: return ENOMEM;
            case EZFS_BADPROP: case EZFS_PROPREADONLY: case EZFS_PROPTYPE: case EZFS_PROPNONINHERIT:
            case EZFS_BADTYPE: case EZFS_INVALIDNAME:
                return EINVAL;
            case EZFS_PROPSPACE: case EZFS_NOSPC: return ENOSPC;
            case EZFS_BUSY: return EBUSY;
            case EZFS_EXISTS: return EEXIST;
            case EZFS_NOENT: return ENOENT;
            case EZFS_DSREADONLY: return EROFS;
            case EZFS_ZONED: case EZFS_PERM: return EPERM;
            case EZFS_IO: return EIO;
            case EZFS_NAMETOOLONG: return ENAMETOOLONG;
            case EZFS_NOTSUP: return ENOTSUP;
            default: return code;
        }
    }

    /**
     * The exception for a failed call.
     *
     * @param property the property the call was about, or null (zfs_open)
     * @param value the value being set, or null
     * @param description libzfs_error_description's text
     */
    static ZfsException of(String op, String dataset, String property, String value, int code, String description) {
        String reason = (description == null || description.isBlank() ? "failed" : description.strip())
            + " [" + name(code) + "]";
        int errno = errno(code);
        switch (code) {
            case EZFS_NOENT:
                return new DatasetNotFound(reason, errno, op, dataset);
            case EZFS_PERM:
                return new PermissionDenied(reason, errno, op, dataset);
            case EZFS_BUSY:
                return new DatasetBusy(reason, errno, op, dataset);
            case EZFS_BADPROP: case EZFS_PROPREADONLY: case EZFS_PROPTYPE: case EZFS_PROPNONINHERIT:
            case EZFS_PROPSPACE:
                return property == null ? new io.flocker.lzc.errors.PropertyInvalid(reason, errno, op, dataset)
                    : new PropertyValueInvalid(reason, errno, op, dataset, property, value);
            case EZFS_NOSPC:
                return new NoSpace(reason, errno, op, dataset);
            case EZFS_MOUNTFAILED:
                // zfs_prop_set mounts only after the ioctl succeeded: the value is set.
                return op.startsWith("zfs_prop_set")
                    ? new io.flocker.lzc.errors.RemountFailed("the property is set, but mounting the file system "
                        + "again failed: " + reason, errno, op, dataset)
                    : new ZfsException(reason, errno, op, dataset);
            case EZFS_DSREADONLY:
                return new ReadOnlyPool(reason, errno, op, dataset);
            case EZFS_INVALIDNAME:
                return new NameInvalid(reason, errno, op, dataset);
            case EZFS_NAMETOOLONG:
                return new NameTooLong(reason, errno, op, dataset);
            default:
                return new ZfsException(reason, errno, op, dataset);
        }
    }
}
