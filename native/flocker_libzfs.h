/*
 * The few libzfs calls the binding needs (libzfs_core cannot set native
 * properties after creation), declared here again so that JavaCPP's parser
 * reads these and not the whole of libzfs.h, which drags in sys/fs/zfs.h,
 * the pool and vdev API and symbols that only some OpenZFS releases export.
 * Every call below exists in OpenZFS 2.1 and 2.3 (checked against both
 * releases' libzfs.abi).
 *
 * libzfs.h is included first: the compiler then checks that each
 * declaration here is the same as libzfs's own.
 */
#ifndef FLOCKER_LIBZFS_H
#define FLOCKER_LIBZFS_H

#include <errno.h>
#include <libzfs.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct libzfs_handle libzfs_handle_t;
typedef struct zfs_handle zfs_handle_t;

extern void libzfs_fini(libzfs_handle_t *);
extern void libzfs_print_on_error(libzfs_handle_t *, boolean_t);
extern int libzfs_errno(libzfs_handle_t *);
extern const char *libzfs_error_init(int);
extern const char *libzfs_error_action(libzfs_handle_t *);
extern const char *libzfs_error_description(libzfs_handle_t *);

extern zfs_handle_t *zfs_open(libzfs_handle_t *, const char *, int);
extern void zfs_close(zfs_handle_t *);
extern int zfs_prop_set(zfs_handle_t *, const char *, const char *);
extern int zfs_prop_set_list(zfs_handle_t *, nvlist_t *);
extern int zfs_prop_get(zfs_handle_t *, zfs_prop_t, char *, size_t,
    zprop_source_t *, char *, size_t, boolean_t);
extern nvlist_t *zfs_get_user_props(zfs_handle_t *);

/* Property table look-ups: no ioctl, but they need libzfs_init's tables. */
extern zfs_prop_t zfs_name_to_prop(const char *);
extern const char *zfs_prop_to_name(zfs_prop_t);
extern boolean_t zfs_prop_readonly(zfs_prop_t);

#ifdef __cplusplus
}
#endif

/*
 * libzfs_init with the errno it leaves behind: it returns NULL and sets
 * errno (ENOENT: no /dev/zfs, EACCES: not root, ...), which Java cannot read
 * after the JNI call returns. libzfs_error_init turns it into words.
 */
static inline libzfs_handle_t *flocker_libzfs_init(int *err) {
    errno = 0;
    libzfs_handle_t *h = libzfs_init();
    *err = h == NULL ? (errno != 0 ? errno : ENOMEM) : 0;
    return h;
}

#if !defined(FLOCKER_JAVACPP_PARSER)
/* zprop_iter's callback: collects property numbers until the array is full. */
struct flocker_prop_list {
    int *props;
    int cap;
    int n;
};

static int flocker_collect_prop(int prop, void *arg) {
    struct flocker_prop_list *l = (struct flocker_prop_list *) arg;
    if (l->n < l->cap) l->props[l->n] = prop;
    l->n++;
    return ZPROP_CONT;
}

/*
 * The Java side keeps libzfs's EZFS_* numbers as constants. OpenZFS inserts
 * new codes in the middle of the enum (2.2 added EZFS_ERRORSCRUBBING after
 * EZFS_SCRUBBING), so only codes before that point keep their number across
 * releases; these are the ones the binding maps.
 */
#ifdef __cplusplus
static_assert(EZFS_NOMEM == 2000 && EZFS_BADPROP == 2001 && EZFS_PROPREADONLY == 2002
    && EZFS_PROPTYPE == 2003 && EZFS_PROPNONINHERIT == 2004 && EZFS_PROPSPACE == 2005
    && EZFS_BADTYPE == 2006 && EZFS_BUSY == 2007 && EZFS_EXISTS == 2008 && EZFS_NOENT == 2009
    && EZFS_DSREADONLY == 2011 && EZFS_INVALIDNAME == 2013 && EZFS_ZONED == 2026
    && EZFS_MOUNTFAILED == 2027 && EZFS_UMOUNTFAILED == 2028 && EZFS_PERM == 2031
    && EZFS_NOSPC == 2032 && EZFS_IO == 2034 && EZFS_NAMETOOLONG == 2043 && EZFS_NOTSUP == 2056,
    "libzfs's error numbers moved: update LibZfsErrors");
static_assert(ZPROP_SRC_NONE == 0x1 && ZPROP_SRC_DEFAULT == 0x2 && ZPROP_SRC_TEMPORARY == 0x4
    && ZPROP_SRC_LOCAL == 0x8 && ZPROP_SRC_INHERITED == 0x10 && ZPROP_SRC_RECEIVED == 0x20
    && ZFS_TYPE_FILESYSTEM == 1 && ZFS_TYPE_SNAPSHOT == 2 && ZFS_TYPE_VOLUME == 4
    && ZPROP_INVAL == -1 && ZFS_MAXPROPLEN == 8192,
    "libzfs's property sources or dataset types moved: update LibZfs");
#endif
#endif

/*
 * The native properties (visible ones, not the hidden ones) that apply to
 * the dataset types in the mask: writes at most cap numbers into props and
 * returns how many there are (call again with a larger array when that is
 * more than cap).
 */
static inline int flocker_zfs_props(int types, int *props, int cap) {
    struct flocker_prop_list l = {props, cap, 0};
    (void) zprop_iter(flocker_collect_prop, &l, B_FALSE, B_FALSE, (zfs_type_t) types);
    return l.n;
}

#endif
