#!/bin/bash
# bench/push: 256 MiB of random data pushed three ways in one run in the test
# guest: our push (Java, JSch, lzc_send through a pipe), `zfs send | ssh
# 127.0.0.1 zfs recv` with OpenSSH's fastest cipher there, and a local `zfs
# send | zfs recv`. Runs twice: with the guest CPU offering AES-NI (the
# testbed default, max,-cx16,-avx,...) and without (qemu64,-cx16). Prints RATIO lines.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=target/bench/push
mkdir -p "$out"
[ -f target/flocker-volume.jar ] || mvn -B -q -ntp -DskipTests package
javac -d "$out" -cp target/flocker-volume.jar bench/push/PushBench.java
for cpu in ${BENCH_CPUS:-max,-cx16,-avx,-avx2,-fma,-f16c qemu64,-cx16}; do
  test-pools/testbed stop
  echo "== guest CPU $cpu"
  FLOCKER_TESTBED_CPU=$cpu test-pools/testbed run bench/push/in-guest.sh "$cpu"
done
