#!/bin/bash
# Everything the host needs before a build, on a fresh Debian 12 machine:
# a JDK 17 and Maven, apt's contrib + bookworm-backports, QEMU and friends,
# libzfslinux-dev at the guest's OpenZFS version, and the test guest itself
# (built once, then cached). Idempotent; quiet when there is nothing to do.
set -euo pipefail
cd "$(dirname "$0")/.."
t0=$SECONDS
[ "$(id -u)" = 0 ] || { echo "setup-host: run as root, in a root shell or with sudo (it installs packages with apt and builds the guest in /var/cache)" >&2; exit 1; }
grep -q 'VERSION_CODENAME=bookworm' /etc/os-release \
  || echo "setup-host: warning: made for Debian 12 (bookworm); this is $(. /etc/os-release; echo "$PRETTY_NAME")" >&2
need=()
command -v javac > /dev/null && javac -version 2>&1 | grep -q ' 17\| 2[0-9]' || need+=(openjdk-17-jdk-headless)
command -v mvn > /dev/null || need+=(maven)
command -v git > /dev/null || need+=(git)
# libcrypto's headers: SSH's AEAD ciphers run on it (native/flocker_ssh_ciphers.h).
[ -f /usr/include/openssl/evp.h ] || need+=(libssl-dev)
if [ ${#need[@]} -gt 0 ]; then
  echo "setup-host: installing ${need[*]}" >&2
  apt-get -o DPkg::Lock::Timeout=300 update -q > /dev/null
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -q --no-install-recommends "${need[@]}" > /dev/null
fi
test-pools/testbed deps
./cppbuild.sh
test-pools/testbed build
echo "setup-host: ready in $((SECONDS - t0)) s" >&2
