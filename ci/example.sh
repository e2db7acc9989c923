#!/bin/bash
# The library as a service embeds it (examples/embedded-service): installs
# the artifact built in target/ into the local Maven repository, builds the
# example against it, checks that what the example depends on holds none of
# the CLI's and the plugin's libraries and no logging binding but its own,
# then runs it in the test guest (which must be running).
set -euo pipefail
cd "$(dirname "$0")/.."
ex=examples/embedded-service
jar=$(ls target/flocker-volume-*.jar | grep -v -e sources -e javadoc | head -1)
[ -f "$jar" ] || { echo "ci/example.sh: no target/flocker-volume-VERSION.jar: run mvn package first" >&2; exit 1; }
mvn -B -ntp -q install:install-file -Dfile="$jar" -DpomFile=pom.xml
mvn -B -ntp -q -f $ex/pom.xml package dependency:tree -DoutputFile=target/tree.txt \
  dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
cat $ex/target/tree.txt
bad=0
for unwanted in org.eclipse.jetty info.picocli org.slf4j:slf4j-nop org.slf4j:slf4j-simple com.github.docker-java; do
  if grep -q "$unwanted" $ex/target/tree.txt; then
    echo "ci/example.sh: the example depends on $unwanted, which the library must not bring" >&2
    bad=1
  fi
done
grep -q "io.flocker:flocker-volume:jar" $ex/target/tree.txt || { echo "ci/example.sh: no flocker-volume in the tree" >&2; bad=1; }
[ $bad = 0 ] || exit 1
test-pools/testbed exec $ex/run-in-guest.sh
