#!/usr/bin/env bash
# The long reliability suite of issue 7: the fault cases with a 60-image batch, the overload with 64
# clients, the SIGSTOP partition, hostile input, and a 10-minute soak. Each node is a separate JVM on its
# own loopback address; every wait is bounded and every node is killed at the end.
#
#   selftest/long.sh                       addresses 127.A.B.1.. picked per run, documented ports when free
#   HOSTS=127.0.0.1,127.0.0.2,127.0.0.3,127.0.0.4 selftest/long.sh
#                                          the documented layout (needs those addresses' ports free)
#   SOAK_SECONDS=120 selftest/long.sh      a shorter soak
#   TIME_SCALE=3 selftest/long.sh          stretch every bounded wait (a very busy machine)
#   ONLY=FaultToleranceTest selftest/long.sh   one test class
#
# Results: one line per case in client/target/reliability/results.txt (docs/reliability.md holds a run);
# node logs next to it. Exit code 0 when every case passed.
set -euo pipefail

here=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
cd "$here"
command -v mvn >/dev/null || { echo "selftest: Maven (mvn) is needed" >&2; exit 1; }

tests=${ONLY:-'org.imgpipe.reliability.*Test'}
props=(-Dimgpipe.reliability.long=true)
[ -n "${HOSTS:-}" ] && props+=("-Dimgpipe.reliability.hosts=$HOSTS")
[ -n "${SOAK_SECONDS:-}" ] && props+=("-Dimgpipe.reliability.soak-seconds=$SOAK_SECONDS")
[ -n "${TIME_SCALE:-}" ] && props+=("-Dimgpipe.reliability.time-scale=$TIME_SCALE")
[ -n "${PORTS:-}" ] && props+=("-Dimgpipe.reliability.ports=$PORTS")

rm -f client/target/reliability/results.txt
echo "selftest: long reliability suite ($tests), $(date -u +%H:%M:%S) UTC" >&2
status=0
# package, not test: the client module needs core-actors' test jar from this reactor. Never install.
mvn -B -pl client -am package "${props[@]}" -Dtest="$tests" -Dsurefire.failIfNoSpecifiedTests=false \
  -Dsurefire.timeout=5400 || status=$?

echo >&2
echo "selftest: results ($(date -u +%H:%M:%S) UTC):" >&2
cat client/target/reliability/results.txt 2>/dev/null || echo "  (no results recorded)" >&2
exit $status
