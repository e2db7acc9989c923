/*
 * The C floor for bench/binding: the same libzfs_core calls the Java binding
 * makes, timed one by one. Usage: lzc_bench create|snapshot|exists PARENT N
 * Prints "C <op> median_ms=<m> n=<N>".
 */
#include <libzfs_core.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

int main(int argc, char **argv) {
    if (argc != 4 && argc != 5) {
        fprintf(stderr, "usage: %s create|snapshot|exists PARENT N [FIRST]\n", argv[0]);
        return 2;
    }
    const char *op = argv[1], *parent = argv[2];
    int n = atoi(argv[3]), first = argc == 5 ? atoi(argv[4]) : 0;
    double *t = calloc(n, sizeof(double));
    char name[512];
    int err = libzfs_core_init();
    if (err != 0) {
        fprintf(stderr, "libzfs_core_init: %s\n", strerror(err));
        return 1;
    }
    for (int i = 0; i < n; i++) {
        double t0 = now_ms();
        if (strcmp(op, "create") == 0) {
            snprintf(name, sizeof(name), "%s/c%d", parent, first + i);
            err = lzc_create(name, LZC_DATSET_TYPE_ZFS, NULL, NULL, 0);
        } else if (strcmp(op, "snapshot") == 0) {
            nvlist_t *snaps = fnvlist_alloc();
            snprintf(name, sizeof(name), "%s@c%d", parent, first + i);
            fnvlist_add_boolean(snaps, name);
            nvlist_t *errlist = NULL;
            err = lzc_snapshot(snaps, NULL, &errlist);
            nvlist_free(errlist);
            nvlist_free(snaps);
        } else if (strcmp(op, "exists") == 0) {
            err = lzc_exists(parent) ? 0 : ENOENT;
        } else {
            fprintf(stderr, "unknown op %s\n", op);
            return 2;
        }
        t[i] = now_ms() - t0;
        if (err != 0) {
            fprintf(stderr, "%s %s: %s\n", op, name, strerror(err));
            return 1;
        }
    }
    for (int i = 0; i < n; i++) printf("%.3f%c", t[i], i + 1 < n ? ' ' : '\n');
    libzfs_core_fini();
    return 0;
}
