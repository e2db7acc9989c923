#!/bin/bash
# Runs in the test guest (see run.sh).
set -euo pipefail
cd "$(dirname "$0")/../.."
cpu=${1:-}
out=target/bench/push
A=bencha$$ B=benchb$$
trap 'test-pools/pool.sh destroy $A > /dev/null; test-pools/pool.sh destroy $B > /dev/null; rm -rf /tmp/pb' EXIT
test-pools/pool.sh create $A 1G /testbed/mnt/$A
test-pools/pool.sh create $B 2G /testbed/mnt/$B
mkdir -p /tmp/pb
grep -q ' aes ' /proc/cpuinfo && aes=yes || aes=no
fv="$PWD/bin/flocker-volume"
remote="$fv --config /tmp/pb/b.json --pool $B --mountpoint /testbed/mnt/$B"
"$fv" --config /tmp/pb/a.json --pool $A --mountpoint /testbed/mnt/$A create data /data > /dev/null
uuid=$("$fv" --config /tmp/pb/a.json)
dd if=/dev/urandom of=/testbed/mnt/$A/$uuid.data/blob bs=1M count=256 status=none
sync
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b - a) / 1e9 }'; }

# Our push with the cipher the library picks for this CPU (the RATIO's), then
# with chacha20-poly1305 for comparison; the copy on B goes in between.
ours() {
  local report
  report=$(java -cp "target/flocker-volume.jar:$out" PushBench /tmp/pb/a.json $A /testbed/mnt/$A data "$remote" "$@")
  zfs destroy -r "$B/$uuid.data"
  grep '^PHASES' <<< "$report" >&2
  grep '^PUSH' <<< "$report"
}
line=$(ours)
echo "$line"
push=$(sed 's/.*seconds=\([0-9.]*\).*/\1/' <<< "$line")
heap=$(sed 's/.*heap_peak_mib=\([0-9.]*\).*/\1/' <<< "$line")
cipher=$(sed 's/.*cipher=\(.*\) heap_peak.*/\1/' <<< "$line")
ours chacha20-poly1305@openssh.com

zfs snapshot $A/$uuid.data@plain
best=""; best_t=""
for c in aes128-gcm@openssh.com chacha20-poly1305@openssh.com aes128-ctr; do
  t0=$(date +%s%N)
  zfs send $A/$uuid.data@plain | ssh -c "$c" -o BatchMode=yes root@127.0.0.1 zfs recv $B/ssh
  t=$(secs "$t0" "$(date +%s%N)")
  zfs destroy -r $B/ssh
  echo "openssh $c: $t s"
  if [ -z "$best_t" ] || awk -v a="$t" -v b="$best_t" 'BEGIN { exit !(a < b) }'; then best=$c; best_t=$t; fi
done
t0=$(date +%s%N)
zfs send $A/$uuid.data@plain | zfs recv $B/local
local_t=$(secs "$t0" "$(date +%s%N)")
echo "our push: $push s (cipher $cipher)   openssh ($best): $best_t s   local send|recv: $local_t s   heap peak $heap MiB"
r() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
echo "RATIO cpu=$cpu aes_ni=$aes push_over_openssh=$(r "$best_t" "$push") push_over_local=$(r "$local_t" "$push") heap_peak_mib=$heap"
