#!/bin/bash
# Runs inside the test guest (see ci/demo.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
pool=demo
trap 'test-pools/pool.sh destroy $pool' EXIT
test-pools/pool.sh create $pool 1G /flocker
echo "== a file-backed pool on a real OpenZFS $(cat /sys/module/zfs/version) kernel module"
zpool list $pool
zpool status $pool | sed -n '1,12p'
