#!/bin/bash
# File-backed ZFS pools for tests and demos; runs where /dev/zfs is (the
# test guest). A pool lives on a sparse file, so a 1G pool costs only what
# is written to it.
#
#   pool.sh create NAME [SIZE] [MOUNTPOINT]   (defaults: 512M, /testbed/mnt/NAME)
#   pool.sh destroy NAME                      (pool and file; missing ones are fine)
#   pool.sh status NAME
#
# FLOCKER_POOL_DIR: where the files go (default /testbed/pools, a tmpfs in the guest).
set -euo pipefail
dir=${FLOCKER_POOL_DIR:-/testbed/pools}
cmd=${1:-}; name=${2:-}
[ -n "$cmd" ] && [ -n "$name" ] || { sed -n '2,10p' "$0"; exit 2; }
case "$name" in
  *[!A-Za-z0-9_.-]* | [!A-Za-z]*) echo "pool.sh: bad pool name '$name' (letter first, then letters, digits, _ . -)" >&2; exit 2 ;;
esac
[ -c /dev/zfs ] || { echo "pool.sh: no /dev/zfs here: run this inside the test guest (test-pools/testbed exec ...)" >&2; exit 1; }
case "$cmd" in
  create)
    size=${3:-512M}; mnt=${4:-/testbed/mnt/$name}
    mkdir -p "$dir"
    [ ! -e "$dir/$name.img" ] || { echo "pool.sh: $dir/$name.img exists already" >&2; exit 1; }
    truncate -s "$size" "$dir/$name.img"
    # cachefile=none: the pool is forgotten when the guest powers off.
    if ! zpool create -f -o cachefile=none -m "$mnt" "$name" "$dir/$name.img"; then
      rm -f "$dir/$name.img"; exit 1
    fi
    ;;
  destroy)
    if zpool list -H -o name "$name" > /dev/null 2>&1; then zpool destroy -f "$name"; fi
    rm -f "$dir/$name.img"
    ;;
  status)
    zpool list -H -o name,size,alloc,free,health "$name"
    ;;
  *) sed -n '2,10p' "$0"; exit 2 ;;
esac
