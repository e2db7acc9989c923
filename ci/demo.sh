#!/bin/bash
# The main job, on file-backed pools: boots the ZFS test guest and runs
# ci/demo-in-guest.sh there: flocker-volume creating, using, listing and
# destroying a volume. Installs what it needs on a fresh Debian 12.
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" = 0 ] || { echo "ci/demo.sh: run as root, in a root shell or with sudo (it installs packages with apt and boots a QEMU guest)" >&2; exit 1; }
ci/setup-host.sh
echo "== building target/flocker-volume.jar" >&2
mvn -B -ntp -q -DskipTests package
test-pools/testbed start
trap 'test-pools/testbed stop' EXIT INT TERM
test-pools/testbed exec ci/demo-in-guest.sh
