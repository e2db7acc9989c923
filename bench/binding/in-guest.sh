#!/bin/bash
# Runs in the test guest (see run.sh). One pool, one run, three ways. C and
# Java take turns in rounds, so both see the pool in the same states.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=target/bench/binding
pool=bench$$
trap 'test-pools/pool.sh destroy $pool > /dev/null' EXIT
test-pools/pool.sh create $pool 2G
c() { "$out/lzc_bench" "$@"; }
j() { java -cp "$(cat $out/classpath)" BindingBench "$@"; }
median() { tr ' ' '\n' | grep . | sort -g | awk '{ v[NR] = $1 } END { printf "%.3f", v[int(NR / 2) + 1] }'; }
cmd_samples() { # N CMD... : wall ms of each run of CMD, {} replaced by the run's index
  local n=$1; shift
  for i in $(seq 0 $((n - 1))); do
    local a=("${@//\{\}/$i}") t0 t1
    t0=$(date +%s%N); "${a[@]}" > /dev/null; t1=$(date +%s%N)
    echo "$(( (t1 - t0) / 1000 ))" | awk '{ printf "%.3f ", $1 / 1000 }'
  done
}
rounds() { # OP PARENT_C PARENT_J PER_ROUND ROUNDS -> "C-samples|J-samples"
  local cs="" js="" r
  for r in $(seq 0 $(($5 - 1))); do
    cs+=" $(c "$1" "$2" "$4" $((r * $4)))"
    js+=" $(j "$1" "$3" "$4" $((r * $4)))"
  done
  echo "$(echo "$cs" | median)|$(echo "$js" | median)"
}
# A pool that is not empty, as in real use: 300 datasets besides ours.
for i in $(seq 1 300); do zfs create -u $pool/filler$i; done
zfs create -u $pool/c && zfs create -u $pool/j && zfs create -u $pool/z

N=${BENCH_N:-40}
echo "== create (no mount): $N each, C and Java in 4 alternating rounds"
res=$(rounds create $pool/c $pool/j $((N / 4)) 4); c_create=${res%|*}; j_create=${res#*|}
z_create=$(cmd_samples $N zfs create -u $pool/z/c{} | median)
echo "create   median C ${c_create} ms   Java ${j_create} ms   zfs ${z_create} ms"

echo "== snapshot: $N each"
res=$(rounds snapshot $pool/c $pool/j $((N / 4)) 4); c_snap=${res%|*}; j_snap=${res#*|}
z_snap=$(cmd_samples $N zfs snapshot $pool/z@c{} | median)
echo "snapshot median C ${c_snap} ms   Java ${j_snap} ms   zfs ${z_snap} ms"

echo "== exists: 400 each"
res=$(rounds exists $pool/c $pool/j 100 4); c_exists=${res%|*}; j_exists=${res#*|}
echo "exists   median C ${c_exists} ms   Java ${j_exists} ms"

echo "== list 1,000 datasets with properties"
zfs create -u $pool/many
j create $pool/many 1000 > /dev/null
j_list=$(j list $pool/many 5 | median)
z_list=$(cmd_samples 5 zfs list -H -o name,used,mountpoint -r $pool/many | median)
echo "list1000 median Java ${j_list} ms   zfs list ${z_list} ms"

echo "== 1,000 snapshots: one atomic call vs 1,000 calls (Java)"
j_batch=$(j snapshot-batch $pool/many 1 | median)
j_serial=$(j snapshot-serial $pool/many 1 | median)
echo "snapshot1000 batch ${j_batch} ms   serial ${j_serial} ms"

r() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
echo "RATIO java_over_c_create=$(r "$j_create" "$c_create") java_over_c_snapshot=$(r "$j_snap" "$c_snap")" \
  "java_over_c_exists=$(r "$j_exists" "$c_exists") cli_over_java_create=$(r "$z_create" "$j_create")" \
  "cli_over_java_snapshot=$(r "$z_snap" "$j_snap") zfslist_over_java_list1000=$(r "$z_list" "$j_list")" \
  "serial_over_batch_snapshot1000=$(r "$j_serial" "$j_batch")"
