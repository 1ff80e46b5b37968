#!/usr/bin/env bash
# Where a workload's time goes inside the node: one all-roles node with a JFR recording (profile
# settings: Java samples every 10-20 ms), the workload at a concurrency, the recording dumped with jcmd,
# then bench/jfr-top.py's summary (self and inclusive samples).
#
#   bench/profile.sh [demo|photo] [CONCURRENCY] [REQUESTS]     (photo 4 60)
#   env: OUT (the .jfr file; default a temporary one, kept and named at the end), WARMUP (12 unrecorded requests first)
set -euo pipefail
. "$(dirname "$0")/lib.sh"
workload=${1:-photo}
concurrency=${2:-4}
requests=${3:-60}
work=$(mktemp -d "${TMPDIR:-/tmp}/imgpipe-profile.XXXXXX")
trap 'stop_nodes' EXIT
jfr_file=${OUT:-$work/$workload.jfr}
imgpipe_classpath >/dev/null
IMGPIPE_BENCH_JVM_OPTS="-XX:StartFlightRecording=settings=profile,filename=$work/start.jfr" \
  start_node profile "$bench_host" 25590
"$repo/imgpipe" bench --workload "$workload" --concurrency "$concurrency" --requests "${WARMUP:-12}" --warmup 0 \
  --orchestrator "$bench_host:50055" >/dev/null || true  # warm-up, not recorded below
jcmd "$node_pid" JFR.stop >/dev/null
jcmd "$node_pid" JFR.start settings=profile name=bench >/dev/null
"$repo/imgpipe" bench --workload "$workload" --concurrency "$concurrency" --requests "$requests" --warmup 0 \
  --orchestrator "$bench_host:50055" --report "$work/report.md" --node-pid "$node_pid" || true
jcmd "$node_pid" JFR.dump name=bench filename="$jfr_file" >/dev/null
stop_nodes
python3 "$(dirname "$0")/jfr-top.py" "$jfr_file" 30
echo "recording: $jfr_file (load $(loadavg))"
