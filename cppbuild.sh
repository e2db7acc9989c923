#!/bin/bash
# Makes the native side of the binding ready, the javacpp-presets way: one
# idempotent script. OpenZFS is a system library here, so instead of building
# it from source this installs (or checks) libzfslinux-dev at exactly the
# version the test guest's zfs.ko and libzfs_core have: the JNI library is
# compiled against these headers and runs against the guest's libraries.
set -euo pipefail
cd "$(dirname "$0")"
want=${FLOCKER_ZFS_VERSION:-}
if [ -z "$want" ]; then
  test-pools/apt-sources.sh
  want=$(test-pools/testbed zfs-version)
fi
have=$(dpkg-query -W -f '${Version}' libzfslinux-dev 2> /dev/null || true)
if [ "$have" != "$want" ]; then
  echo "cppbuild: installing libzfslinux-dev $want (have: ${have:-none})" >&2
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -q --no-install-recommends \
    -t bookworm-backports "libzfslinux-dev=$want" "libnvpair3linux=$want" "libzfs6linux=$want" \
    "libuutil3linux=$want" > /dev/null
fi
for h in /usr/include/libzfs/libzfs_core.h /usr/include/libzfs/sys/nvpair.h /usr/include/libzfs/libzfs.h; do
  [ -f "$h" ] || { echo "cppbuild: $h missing after installing libzfslinux-dev" >&2; exit 1; }
done
for l in libzfs_core.so libnvpair.so libzfs.so; do
  ldconfig -p | grep -q "$l" || { echo "cppbuild: $l is not on the linker path" >&2; exit 1; }
done
echo "cppbuild: libzfslinux-dev $want ready"
