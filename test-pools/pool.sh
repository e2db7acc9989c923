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
    # A container starting anywhere in the guest holds a copy of every host
    # mount for a moment (runc's init, until it pivots), so "pool is busy"
    # may pass by itself: retry for a while, then name who holds it.
    tries=0
    while zpool list -H -o name "$name" > /dev/null 2>&1; do
      if err=$(zpool destroy -f "$name" 2>&1); then break; fi
      tries=$((tries + 1))
      case "$err" in *busy*) ;; *) echo "$err" >&2; exit 1 ;; esac
      if [ "$tries" -ge 30 ]; then
        echo "$err" >&2
        echo "pool.sh: $name still busy after $tries tries; mounts of it in other namespaces:" >&2
        grep -l " $name[/ ]" /proc/[0-9]*/mountinfo 2>/dev/null | while read -r f; do
          pid=${f#/proc/}; pid=${pid%/mountinfo}
          echo "  pid $pid $(tr '\0' ' ' < /proc/$pid/cmdline 2>/dev/null | cut -c1-100)" >&2
        done
        exit 1
      fi
      sleep 1
    done
    [ "$tries" -eq 0 ] || echo "pool.sh: $name was busy; destroyed at try $((tries + 1))" >&2
    rm -f "$dir/$name.img"
    ;;
  status)
    zpool list -H -o name,size,alloc,free,health "$name"
    ;;
  *) sed -n '2,10p' "$0"; exit 2 ;;
esac
