#!/bin/bash
# After `mvn verify`: fail unless integration tests ran, every one of them in
# the test guest, and no test anywhere was skipped. A skipped test is not a pass.
set -uo pipefail
cd "$(dirname "$0")/.."
fail=0
its=(target/failsafe-reports/TEST-*.xml)
if [ ! -e "${its[0]}" ]; then
  echo "check-reports: no integration test reports: the integration tests did not run" >&2
  exit 1
fi
total=0
for f in "${its[@]}"; do
  suite=$(grep -o '<testsuite [^>]*' "$f" | head -1)
  n=$(sed -n 's/.* tests="\([0-9]*\)".*/\1/p' <<< "$suite")
  total=$((total + n))
  if ! grep -q 'name="flocker.testbed" value="guest"' "$f"; then
    echo "check-reports: $(basename "$f") did not run in the test guest" >&2; fail=1
  fi
done
for f in target/failsafe-reports/TEST-*.xml target/surefire-reports/TEST-*.xml; do
  [ -e "$f" ] || continue
  s=$(grep -o '<testsuite [^>]*' "$f" | sed -n 's/.* skipped="\([0-9]*\)".*/\1/p' | head -1)
  if [ "${s:-0}" != 0 ]; then echo "check-reports: $(basename "$f"): $s skipped" >&2; fail=1; fi
  # Also judged here, not only by Maven's status: after a guest crash the classes that had
  # finished are not run again, and their failures must still count.
  e=$(grep -o '<testsuite [^>]*' "$f" | sed -n 's/.* errors="\([0-9]*\)".*/\1/p' | head -1)
  x=$(grep -o '<testsuite [^>]*' "$f" | sed -n 's/.* failures="\([0-9]*\)".*/\1/p' | head -1)
  if [ "${e:-0}" != 0 ] || [ "${x:-0}" != 0 ]; then
    echo "check-reports: $(basename "$f"): ${x:-0} failures, ${e:-0} errors" >&2; fail=1
  fi
done
[ "$total" -gt 0 ] || { echo "check-reports: zero integration tests ran" >&2; fail=1; }
echo "check-reports: $total integration tests ran in the guest ($(ls target/failsafe-reports/TEST-*.xml | wc -l) classes)"
grep -ho 'testsuite [^>]*name="[^"]*" time="[^"]*" tests="[0-9]*" errors="[0-9]*" skipped="[0-9]*" failures="[0-9]*"' \
  target/failsafe-reports/TEST-*.xml | sed 's/.*name="\([^"]*\)" time="\([^"]*\)" tests="\([0-9]*\)" errors="\([0-9]*\)" skipped="\([0-9]*\)" failures="\([0-9]*\)"/  IT \1: \3 tests, \6 failures, \4 errors, \5 skipped, \2 s/'
exit $fail
