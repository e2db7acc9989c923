#!/bin/bash
# The project's test command: unit tests on this machine, integration tests
# in the ZFS test guest (real zfs.ko, dockerd, sshd), then checks that every
# integration test really ran there and none was skipped.
#
# Works on a fresh Debian 12 machine as root: installs what it needs first.
# Extra arguments go to Maven (e.g. -Dit.test=LibZfsCoreIT).
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" = 0 ] || { echo "ci/test.sh: run as root, in a root shell or with sudo (it installs packages with apt and boots a QEMU guest)" >&2; exit 1; }
t0=$SECONDS
ci/setup-host.sh
t_setup=$((SECONDS - t0))

test-pools/testbed start
trap 'test-pools/testbed stop' EXIT INT TERM
t_boot=$((SECONDS - t0 - t_setup))

echo "== test bed: a file-backed pool in the guest"
test-pools/testbed exec sh -c 'test-pools/pool.sh create ci-check 256M && zpool list ci-check && test-pools/pool.sh destroy ci-check'

echo "== mvn verify (unit tests here, integration tests in the guest)"
rc=0
rm -rf target/failsafe-reports target/surefire-reports   # judge this run only
mvn -B -ntp verify -Dit.jvm="$(test-pools/testbed java)" "$@" || rc=$?
t_mvn=$((SECONDS - t0 - t_setup - t_boot))
# A guest whose kernel died under the tests fails them all: say that, with the oops. The
# emulator, not the tests, is then at fault (test-pools/README.md, Traps): the guest is
# booted once more and the classes that did not finish (no report) run again. Those that
# finished keep their results, failures included; a second crash fails the run.
if ! test-pools/testbed health; then
  echo "== the guest's kernel crashed during mvn verify: the failures above are not the tests' own" >&2
  rc=1
  missing=()
  for f in $(cd src/test/java && find . -name '*IT.java' | sed 's|^\./||; s|\.java$||; s|/|.|g' | sort); do
    [ -e "target/failsafe-reports/TEST-$f.xml" ] || missing+=("${f##*.}")
  done
  # A run of chosen classes (-Dit.test in the arguments) is not repeated: its caller chose by hand.
  if [ ${#missing[@]} -gt 0 ] && [[ " $* " != *" -Dit.test="* ]]; then
    echo "== rebooting the guest, and running the ${#missing[@]} classes that did not finish: ${missing[*]}" >&2
    test-pools/testbed stop
    test-pools/testbed start
    rc=0
    mvn -B -ntp verify -Dit.jvm="$(test-pools/testbed java)" -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false \
      "$@" "-Dit.test=$(IFS=,; echo "${missing[*]}")" || rc=$?
    test-pools/testbed health || { echo "== the guest's kernel crashed again: failing" >&2; rc=1; }
    t_mvn=$((SECONDS - t0 - t_setup - t_boot))
  fi
fi

ci/check-reports.sh || rc=1

# Not in a run of chosen classes (-Dit.test): that is a developer's run by hand.
t_example=0
if [[ " $* " != *" -Dit.test="* ]]; then
  echo "== the library embedded in a service: examples/embedded-service"
  t1=$SECONDS
  ci/example.sh || rc=1
  t_example=$((SECONDS - t1))
fi
echo "== times: setup ${t_setup} s, guest boot ${t_boot} s, mvn verify ${t_mvn} s, example ${t_example} s, total $((SECONDS - t0)) s"
exit $rc
