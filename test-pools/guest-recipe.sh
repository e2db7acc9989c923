#!/bin/bash
# The test guest's recipe: builds a Debian bookworm root in $1 with a 6.12
# cloud kernel, a zfs.ko built by dkms for that kernel, zfsutils, a JRE,
# Docker, OpenSSH and busybox. `testbed build` calls it; the sha256 of this
# file, guest/init and the OpenZFS version apt offers is the cache key, so
# any edit here means a rebuild.
#
# Only Debian packages go in. Nothing here runs in the guest; guest/init does.
set -euo pipefail
T=$1
ZFS_VERSION=$2          # the exact zfs-dkms version, equal to the host's libzfslinux-dev
MIRROR=${FLOCKER_TESTBED_MIRROR:-http://deb.debian.org/debian}
here=$(cd "$(dirname "$0")" && pwd)

in_root() { chroot "$T" env DEBIAN_FRONTEND=noninteractive LC_ALL=C PATH=/usr/sbin:/usr/bin:/sbin:/bin "$@"; }
install_pkgs() { in_root apt-get install -y -q --no-install-recommends "$@"; }
unbind() { local d; for d in dev/pts dev sys proc; do mountpoint -q "$T/$d" && umount -l "$T/$d"; done; return 0; }

debootstrap --variant=minbase --components=main,contrib \
  --include=kmod,iproute2,procps,ca-certificates,udev,openssh-server,openssh-client \
  bookworm "$T" "$MIRROR"
cat > "$T/etc/apt/sources.list" <<EOF
deb $MIRROR bookworm main contrib
deb $MIRROR bookworm-updates main contrib
deb $MIRROR bookworm-backports main contrib
EOF
# Services must not start inside the chroot while packages install.
printf '#!/bin/sh\nexit 101\n' > "$T/usr/sbin/policy-rc.d"; chmod 755 "$T/usr/sbin/policy-rc.d"
printf 'path-exclude=/usr/share/doc/*\npath-exclude=/usr/share/man/*\npath-exclude=/usr/share/locale/*\n' \
  > "$T/etc/dpkg/dpkg.cfg.d/testbed-nodoc"

# zfs-dkms' postinst needs /proc: without it, it decides the kernel is 32-bit,
# builds nothing and still exits 0.
trap unbind EXIT
for d in proc sys dev dev/pts; do mount --bind "/$d" "$T/$d"; done
in_root apt-get update -q
install_pkgs -t bookworm-backports linux-image-cloud-amd64 linux-headers-cloud-amd64
install_pkgs -t bookworm-backports "zfs-dkms=$ZFS_VERSION" "zfsutils-linux=$ZFS_VERSION"
install_pkgs openjdk-17-jre-headless docker.io busybox-static
kver=$(ls "$T/lib/modules" | sort -V | tail -1)
ls "$T/lib/modules/$kver/updates/dkms/"zfs.ko* >/dev/null \
  || { echo "guest-recipe: dkms built no zfs.ko for $kver" >&2; exit 1; }

# Keep the built modules where dkms' removal cannot take them, then drop the
# toolchain: about 500 MB the guest never uses.
mkdir -p "$T/lib/modules/$kver/extra"
cp -a "$T/lib/modules/$kver/updates/dkms/." "$T/lib/modules/$kver/extra/"
in_root sh -c "apt-get purge -y -q zfs-dkms dkms \$(dpkg-query -W -f '\${Package} ' 'linux-headers-*' 'linux-kbuild-*')"
in_root apt-get -o APT::AutoRemove::SuggestsImportant=false -o APT::AutoRemove::RecommendsImportant=false \
  autoremove --purge -y -q
in_root depmod -a "$kver"
in_root apt-get clean
rm -rf "$T/var/lib/apt/lists/"* "$T/usr/sbin/policy-rc.d"

# A root file system for the `busybox` Docker image: no registry is reachable,
# so guest/init imports this tar at boot.
bb=$(mktemp -d)
mkdir -p "$bb/bin" "$bb/tmp" "$bb/data"
cp "$T/bin/busybox" "$bb/bin/busybox"
for applet in sh ls cat echo true false sleep mkdir rm touch dd head tail wc sync stat id; do
  ln -s busybox "$bb/bin/$applet"
done
mkdir -p "$T/usr/share/testbed"
tar -C "$bb" -cf "$T/usr/share/testbed/busybox-rootfs.tar" .
rm -rf "$bb"

install -m 755 "$here/guest/init" "$T/sbin/testbed-init"
printf 'UseDNS no\nPermitRootLogin prohibit-password\nMaxSessions 200\nMaxStartups 200\n' \
  > "$T/etc/ssh/sshd_config.d/testbed.conf"
mkdir -p "$T/var/lib/docker" "$T/etc/testbed"
ln -sf "boot/vmlinuz-$kver" "$T/testbed-vmlinuz"
dpkg-query --admindir="$T/var/lib/dpkg" -W -f '${Version}' zfsutils-linux > "$T/etc/testbed/zfs-version"
