#!/bin/bash
# bench/binding: the same libzfs_core operations three ways in one run in the
# test guest: a C program, the Java binding, and the `zfs` command. Prints
# medians and one RATIO line. Speed claims live here, not in tests.
#   bench/binding/run.sh           (boots the guest if it is not running)
set -euo pipefail
cd "$(dirname "$0")/../.."
out=target/bench/binding
mkdir -p "$out"
[ -f target/classes/io/flocker/lzc/LibZfsCore.class ] && ls target/classes/io/flocker/lzc/linux-x86_64/*.so > /dev/null 2>&1 \
  || mvn -B -q -ntp process-classes
gcc -O2 -o "$out/lzc_bench" bench/binding/lzc_bench.c $(pkg-config --cflags --libs libzfs_core)
cp=target/classes:$(find ~/.m2/repository/org/bytedeco/javacpp/1.5.14 -name 'javacpp-1.5.14.jar' | head -1)
javac -d "$out" -cp "$cp" bench/binding/BindingBench.java
echo "$cp:$out" > "$out/classpath"
test-pools/testbed run bench/binding/in-guest.sh
