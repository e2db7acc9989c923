#!/bin/bash
# Runs in the test guest (see run.sh).
set -euo pipefail
cd "$(dirname "$0")/../.."
cpu=${1:-}
out=target/bench/push
A=bencha$$ B=benchb$$
agent_pid="" agent_a_pid=""
# (an agent stopped by SIGTERM exits 143: the trap must not make that the script's status)
trap '{ [ -n "$agent_pid" ] && kill $agent_pid && wait $agent_pid; [ -n "$agent_a_pid" ] && kill $agent_a_pid && wait $agent_a_pid; } || true; test-pools/pool.sh destroy $A > /dev/null; test-pools/pool.sh destroy $B > /dev/null; rm -rf /tmp/pb' EXIT
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
# These run flocker-volume over there by exec (no agent runs yet).
pushbench() {
  local report
  report=$(java -cp "target/flocker-volume.jar:$out" PushBench /tmp/pb/a.json $A /testbed/mnt/$A data "$remote" "$@")
  grep '^PHASES\|^HANDOFF' <<< "$report" >&2
  grep '^PUSH' <<< "$report"
}
ours() {
  pushbench "$@"
  zfs destroy -r "$B/$uuid.data"
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

# The agent on B's side: the same push reaches its node socket, and B starts nothing.
$remote agent --socket /tmp/pb/plugin.sock --node-socket /tmp/pb/node.sock > /tmp/pb/agent.log 2>&1 &
agent_pid=$!
for _ in $(seq 600); do grep -q 'serving the volume plugin' /tmp/pb/agent.log && break; sleep 0.2; done
grep -q 'serving the volume plugin' /tmp/pb/agent.log || { cat /tmp/pb/agent.log >&2; exit 1; }
export FLOCKER_BENCH_NODE_SOCKET=/tmp/pb/node.sock
line=$(pushbench)
echo "$line"
grep -q 'via=agent' <<< "$line" || { echo "the push did not go through the agent" >&2; exit 1; }
agent_push=$(sed 's/.*seconds=\([0-9.]*\).*/\1/' <<< "$line")
echo "RATIO cpu=$cpu aes_ni=$aes push_over_openssh=$(r "$best_t" "$agent_push") (agent; by exec: $(r "$best_t" "$push"))"

# This host's agent as well: the CLI's push runs in it, timed from the CLI's
# start to its exit (its own JVM start included), as a user runs it.
"$fv" --config /tmp/pb/a.json --pool $A --mountpoint /testbed/mnt/$A agent --socket /tmp/pb/plugin-a.sock \
  --node-socket none --control-socket /tmp/pb/a-agent.sock > /tmp/pb/agent-a.log 2>&1 &
agent_a_pid=$!
for _ in $(seq 600); do grep -q 'serving the volume plugin' /tmp/pb/agent-a.log && break; sleep 0.2; done
grep -q 'serving the volume plugin' /tmp/pb/agent-a.log || { cat /tmp/pb/agent-a.log >&2; exit 1; }
clipush() {
  local t0 t
  t0=$(date +%s%N)
  FLOCKER_VOLUME_AGENT=/tmp/pb/a-agent.sock "$fv" --config /tmp/pb/a.json --pool $A --mountpoint /testbed/mnt/$A -v \
    push data root@127.0.0.1 --remote-socket /tmp/pb/node.sock -i /root/.ssh/id_ed25519 \
    --known-hosts /root/.ssh/known_hosts > /tmp/pb/cli.out 2> /tmp/pb/cli.err
  t=$(secs "$t0" "$(date +%s%N)")
  grep -q 'run by the local agent' /tmp/pb/cli.err && grep -q "the agent's node socket" /tmp/pb/cli.err \
    || { cat /tmp/pb/cli.out /tmp/pb/cli.err >&2; exit 1; }
  echo "$t"
}
zfs destroy -r "$B/$uuid.data"
warm_full=$(clipush)
echo "CLI push through both agents (the local one's first push): $warm_full s: $(cat /tmp/pb/cli.out)"
echo "RATIO cpu=$cpu aes_ni=$aes push_over_openssh=$(r "$best_t" "$warm_full") (CLI through both agents, JVM start included)"

# 1 MiB changed since the last push: our incremental through the agent, and
# OpenSSH's `zfs send -i` of the same change (its base copy sent untimed).
zfs send $A/$uuid.data@plain | ssh -c "$best" -o BatchMode=yes root@127.0.0.1 zfs recv $B/ssh
dd if=/dev/urandom of=/testbed/mnt/$A/$uuid.data/inc1 bs=1M count=1 status=none
sync
line=$(pushbench)
echo "$line"
grep -q 'incremental=true' <<< "$line" || { echo "the second push was not incremental" >&2; exit 1; }
inc=$(sed 's/.*seconds=\([0-9.]*\).*/\1/' <<< "$line")
zfs snapshot $A/$uuid.data@plain2
t0=$(date +%s%N)
zfs send -i @plain $A/$uuid.data@plain2 | ssh -c "$best" -o BatchMode=yes root@127.0.0.1 zfs recv $B/ssh
inc_ssh=$(secs "$t0" "$(date +%s%N)")
echo "incremental of 1 MiB: ours (agent) $inc s   openssh ($best) $inc_ssh s"
echo "RATIO cpu=$cpu aes_ni=$aes incremental_push_over_openssh=$(r "$inc_ssh" "$inc")"
dd if=/dev/urandom of=/testbed/mnt/$A/$uuid.data/inc1b bs=1M count=1 status=none
sync
warm_inc=$(clipush)
echo "incremental of 1 MiB by the CLI through both agents: $warm_inc s: $(cat /tmp/pb/cli.out)"
echo "RATIO cpu=$cpu aes_ni=$aes incremental_push_over_openssh=$(r "$inc_ssh" "$warm_inc") (CLI through both agents, JVM start included)"

# A handoff with 1 MiB changed since the last push, through the agent.
dd if=/dev/urandom of=/testbed/mnt/$A/$uuid.data/inc2 bs=1M count=1 status=none
sync
FLOCKER_BENCH_HANDOFF=1 pushbench 2> /tmp/pb/handoff.txt
cat /tmp/pb/handoff.txt
h=$(grep '^HANDOFF' /tmp/pb/handoff.txt)
echo "RATIO cpu=$cpu aes_ni=$aes handoff_writes_stopped_s=$(sed 's/.*writes_stopped_s=\([0-9.]*\).*/\1/' <<< "$h") final_incremental_s=$(sed 's/.*final_incremental_s=\([0-9.]*\).*/\1/' <<< "$h")"
