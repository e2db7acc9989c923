#!/bin/bash
# Runs inside the test guest (ci/example.sh): the example service on a
# file-backed pool, pushing to a second pool and identity in the same guest
# through its sshd. Passes when the service's own logback output holds the
# library's lines and the other node holds the copy.
set -euo pipefail
cd "$(dirname "$0")"
root=$(cd ../.. && pwd)
a=example-a b=example-b
work=$(mktemp -d)
cleanup() {
  docker rm -f flocker-example-db-data > /dev/null 2>&1 || true
  "$root/test-pools/pool.sh" destroy $a
  "$root/test-pools/pool.sh" destroy $b
  rm -rf "$work"
}
trap cleanup EXIT
"$root/test-pools/pool.sh" create $a 256M
"$root/test-pools/pool.sh" create $b 256M
for _ in $(seq 600); do [ -e /run/testbed/docker-ready ] && break; sleep 0.5; done
[ -e /run/testbed/docker-ready ] || { echo "example: the guest's dockerd was not ready after 300 s" >&2; exit 1; }

there="$root/bin/flocker-volume --config $work/b.json --pool $b --mountpoint /testbed/mnt/$b.volumes"
# C1 only, as every JVM in the guest (test-pools/README.md, Traps).
if ! java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp "target/classes:$(cat target/classpath.txt)" \
    example.EmbeddedService "$work/a.json" $a /testbed/mnt/$a.volumes root@127.0.0.1 "$there" \
    /root/.ssh/id_ed25519 /root/.ssh/known_hosts > "$work/out.txt" 2>&1; then
  cat "$work/out.txt"
  echo "example: the service failed" >&2
  exit 1
fi
cat "$work/out.txt"
node=$(sed -n 's/.*"uuid" *: *"\([^"]*\)".*/\1/p' "$work/a.json")
[ -n "$node" ] || { echo "example: no uuid in $work/a.json" >&2; exit 1; }
missing=0
for line in \
    "service-log INFO  io.flocker.volume.VolumeService - created volume 'example-db' of node $node" \
    "service-log INFO  io.flocker.volume.push.Pusher - pushed volume 'example-db' of node $node to " \
    "service-log INFO  io.flocker.volume.VolumeService - destroyed volume 'example-db' of node $node" \
    "service-log INFO  example.EmbeddedService - the service pushed snapshot flocker-"; do
  grep -qF "$line" "$work/out.txt" || { echo "example: no line starting '$line' in the service's log" >&2; missing=1; }
done
[ $missing = 0 ] || exit 1
$there list | grep -q "example-db" || { echo "example: node b holds no copy of example-db" >&2; $there list >&2; exit 1; }
echo "example: the service's log holds the library's lines, and the copy is on the other node"
