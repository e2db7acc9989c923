/*
 * What JavaCPP cannot generate for the binding: small system calls Java has
 * no way to make on a raw descriptor or a mount table. Kept tiny on purpose;
 * each returns 0 (or a count) on success and a negative errno on failure, so
 * the Java side never reads errno after another call may have changed it.
 */
#ifndef FLOCKER_LZC_EXTRA_H
#define FLOCKER_LZC_EXTRA_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* F_SETPIPE_SZ */
#endif

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <malloc.h>
#include <sys/mount.h>

/* A close-on-exec pipe: fds[0] reads, fds[1] writes. lzc_send and lzc_receive
 * need raw descriptors; Java's own pipes do not expose theirs. The buffer is
 * raised from 64 KiB to 1 MiB (the default pipe-max-size) where allowed, as
 * libzfs_core does for receive: fewer switches between writer and reader. */
static inline int flocker_pipe(int *fds) {
    if (pipe2(fds, O_CLOEXEC) != 0) return -errno;
    (void) fcntl(fds[0], F_SETPIPE_SZ, 1 << 20);
    return 0;
}

static inline int flocker_close(int fd) {
    return close(fd) == 0 ? 0 : -errno;
}

/* open(2) read-write, close-on-exec: a /dev/zfs descriptor for temporary holds. */
static inline int flocker_open_rdwr(const char *path) {
    int fd = open(path, O_RDWR | O_CLOEXEC);
    return fd >= 0 ? fd : -errno;
}

/* Reads until len bytes or end of file; the count, or -errno. */
static inline long flocker_read_full(int fd, char *buf, long len) {
    long done = 0;
    while (done < len) {
        ssize_t n = read(fd, buf + done, (size_t)(len - done));
        if (n == 0) break;
        if (n < 0) {
            if (errno == EINTR) continue;
            return -errno;
        }
        done += n;
    }
    return done;
}

/* Writes all of buf; the count, or -errno. */
static inline long flocker_write_full(int fd, const char *buf, long len) {
    long done = 0;
    while (done < len) {
        ssize_t n = write(fd, buf + done, (size_t)(len - done));
        if (n < 0) {
            if (errno == EINTR) continue;
            return -errno;
        }
        done += n;
    }
    return done;
}

/* libzfs_core creates and receives but never mounts: mount(2) with type
 * "zfs" and the dataset's name as source does. */
static inline int flocker_mount(const char *source, const char *target, const char *fstype,
                                unsigned long flags, const char *data) {
    return mount(source, target, fstype, flags, data) == 0 ? 0 : -errno;
}

static inline int flocker_umount(const char *target, int flags) {
    return umount2(target, flags) == 0 ? 0 : -errno;
}

/* Bytes the C heap has handed out and not taken back: what a leak of
 * nvlists or strings would grow. For leak tests and diagnostics. */
static inline long flocker_malloc_in_use(void) {
    struct mallinfo2 mi = mallinfo2();
    return (long)(mi.uordblks + mi.hblkhd);
}

#endif
