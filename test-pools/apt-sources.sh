#!/bin/bash
# Make apt on a Debian 12 host see what the project needs beyond `main`:
# OpenZFS lives in `contrib`, and the 2.3 series (matching the guest's 6.12
# kernel) only in bookworm-backports. Idempotent; runs `apt-get update` only
# when it changed something or the lists lack OpenZFS.
set -euo pipefail
mirror=http://deb.debian.org/debian
# apt refuses two entries for one mirror and suite whose Signed-By differ, so
# take whatever the machine's own entry for the mirror says (deb822 files).
signed=$(awk -v m="$mirror" '
  /^[[:space:]]*$/ { if (u && s) { print s; exit } u = 0; s = ""; next }
  tolower($1) == "uris:" { for (i = 2; i <= NF; i++) if ($i == m || $i == m "/") u = 1 }
  tolower($1) == "signed-by:" { s = $2 }
  END { if (u && s) print s }' /etc/apt/sources.list.d/*.sources 2> /dev/null | head -n 1)
if [ -n "$signed" ]; then
  file=/etc/apt/sources.list.d/flocker-zfs.sources
  want="Types: deb
URIs: $mirror
Suites: bookworm
Components: contrib
Signed-By: $signed

Types: deb
URIs: $mirror
Suites: bookworm-backports
Components: main contrib
Signed-By: $signed"
else
  file=/etc/apt/sources.list.d/flocker-zfs.list
  want="deb $mirror bookworm contrib
deb $mirror bookworm-backports main contrib"
fi
if [ "$(cat "$file" 2> /dev/null)" != "$want" ]; then
  rm -f /etc/apt/sources.list.d/flocker-zfs.sources /etc/apt/sources.list.d/flocker-zfs.list
  echo "$want" > "$file"
  apt-get -o DPkg::Lock::Timeout=300 update -q > /dev/null
elif ! apt-cache show zfs-dkms > /dev/null 2>&1; then
  apt-get -o DPkg::Lock::Timeout=300 update -q > /dev/null
fi
