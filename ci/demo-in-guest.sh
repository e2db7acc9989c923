#!/bin/bash
# Runs inside the test guest (see ci/demo.sh): flocker-volume on a file-backed
# ZFS pool and the guest's real dockerd. The guest's root is fresh at every
# boot, so this node's identity (/etc/flocker/volume.json) is made anew.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH=$PWD/bin:$PATH
pool=flocker
pool2=flocker2
plugin=
cleanup() {
  if [ -n "$plugin" ]; then kill -TERM "$plugin" 2> /dev/null || true; wait "$plugin" 2> /dev/null || true; fi
  docker ps -aq --filter name=demo- | xargs -r docker rm -f > /dev/null
  docker volume ls -q --filter driver=flocker | xargs -r docker volume rm -f > /dev/null 2>&1 || true
  docker ps -aq --filter label=io.flocker.volume | xargs -r docker rm -f > /dev/null
  test-pools/pool.sh destroy $pool
  test-pools/pool.sh destroy $pool2
}
trap cleanup EXIT
show() { # the command as one would type it
  local a out=""
  for a in "$@"; do
    if [[ $a =~ ^[A-Za-z0-9_./:=@%+-]+$ ]]; then out+=" $a"; else out+=" '${a//\'/\'\\\'\'}'"; fi
  done
  printf '\n$%s\n' "$out"
}
step() { show "$@"; "$@" 2>&1; }
refused() { show "$@"; if "$@" 2>&1; then echo "demo: that should have been refused" >&2; exit 1; else echo "(exit $?)"; fi; }

test-pools/pool.sh create $pool 1G /flocker
echo "== a file-backed pool '$pool' on a real OpenZFS $(cat /sys/module/zfs/version) kernel module, mounted at /flocker"
zpool list $pool
# dockerd starts with the guest; on a busy host it can take minutes.
for _ in $(seq 600); do [ -e /run/testbed/docker-ready ] && break; sleep 0.5; done
[ -e /run/testbed/docker-ready ] || { echo "demo: the guest's dockerd was not ready after 300 s" >&2; exit 1; }

echo; echo "== this node's identity, made on first use"
step flocker-volume
node=$(flocker-volume)

echo; echo "== a volume: a ZFS dataset mounted with mount(2), and a Docker data container"
step flocker-volume create demo /data
step docker run --rm --volumes-from flocker-demo-data busybox sh -c 'echo "hello from a container" > /data/hello.txt'
step cat "/flocker/$node.demo/hello.txt"
step zfs list -r -o name,used,mountpoint,readonly,io.flocker:mount_path $pool
step docker ps -a --no-trunc --filter label=io.flocker.volume --format '{{.Names}}: {{.Status}}, binds {{.Mounts}}'

echo; echo "== another node's copy of a volume: listed, read-only, not ours to destroy"
other=$(cat /proc/sys/kernel/random/uuid)
step zfs create -o readonly=on -o io.flocker:mount_path=/data "$pool/$other.demo"
step flocker-volume list
step flocker-volume list --json

echo; echo "== destroy: only what this node owns"
step flocker-volume destroy demo
step flocker-volume list
refused flocker-volume destroy demo
refused flocker-volume create "no/slashes" /data
echo; echo "== push to another machine over SSH: here a second pool and identity in the same guest, reached"
echo "   through the guest's real sshd on 127.0.0.1 (strict host keys: ~/.ssh/known_hosts)"
test-pools/pool.sh create $pool2 1G /flocker2
there="$PWD/bin/flocker-volume --config /etc/flocker/node2.json --pool $pool2 --mountpoint /flocker2"
step flocker-volume create db /var/lib/db
step docker run --rm --volumes-from flocker-db-data busybox sh -c 'echo "first row" > /var/lib/db/table'
step flocker-volume push db root@127.0.0.1 --remote-command "$there"
step $there list
step docker run --rm --volumes-from flocker-db-data busybox sh -c 'echo "second row" >> /var/lib/db/table'
step flocker-volume push db root@127.0.0.1 --remote-command "$there"
step cat "/flocker2/$node.db/table"

echo; echo "== handoff: the other machine becomes the owner, this one keeps a read-only copy"
step flocker-volume handoff db root@127.0.0.1 --remote-command "$there"
step $there list
step flocker-volume list
refused flocker-volume push db root@127.0.0.1 --remote-command "$there"

echo; echo "== Docker's own volume commands: flocker-volume serves the volume plugin 'flocker'"
printf '\n$ flocker-volume plugin &\n'
flocker-volume plugin 2> /tmp/flocker-plugin.log &
plugin=$!
for _ in $(seq 600); do grep -q 'serving the volume plugin' /tmp/flocker-plugin.log && break; sleep 0.2; done
cat /tmp/flocker-plugin.log
step docker volume create -d flocker -o quota=256M -o compression=lz4 pgdata
step docker run --rm -v pgdata:/var/lib/data busybox sh -c 'echo "a row" > /var/lib/data/table; df -h /var/lib/data'
step docker run -d --name demo-reader -v pgdata:/var/lib/data busybox sleep 600
step docker exec demo-reader cat /var/lib/data/table
step docker volume ls --filter driver=flocker
step zfs get -H -o property,value mounted,quota,compression "$pool/$node.pgdata"
step flocker-volume list
refused docker volume rm pgdata
step docker rm -f demo-reader
step docker volume rm pgdata
step kill -TERM "$plugin"
wait "$plugin" || true
plugin=
step ls -la /run/docker/plugins/
echo; echo "== done: the pools and their containers go with the demo"
