#!/usr/bin/env bash
# The full bench matrix on this machine:
#  1. demo and photo at concurrency 1, 2, 4, 8 against one all-roles node (heap IMGPIPE_BENCH_HEAP,
#     512m): tables (Markdown) and the chart (PNG) into OUT_DIR;
#  2. scaling: one node and its bench client pinned to core 0, then two clustered nodes, each with its
#     own bench client on its own core (node A and client A on core 0, node B and client B on core 1),
#     so that each core is one "device" with its client in both runs; prints the ratio;
#  3. bench/vs-libvips.sh: the photo workload against libvips, same machine, same run.
#
#   bench/run-matrix.sh [OUT_DIR]       (default docs/perf)
#   env: REQUESTS (120 per level), WARMUP_DEMO (300) and WARMUP_PHOTO (40) unmeasured requests first, SCALING_WORKLOAD (demo), SCALING_REQUESTS (400), SCALING_WARMUP (100), SKIP_VIPS=1, SKIP_MATRIX=1, SKIP_SCALING=1
set -euo pipefail
. "$(dirname "$0")/lib.sh"

out_dir=${1:-$repo/docs/perf}
requests=${REQUESTS:-120}
work=$(mktemp -d "${TMPDIR:-/tmp}/imgpipe-matrix.XXXXXX")
trap 'stop_nodes; rm -rf "$work"' EXIT
mkdir -p "$out_dir"
imgpipe_classpath >/dev/null

vips_ref=()
if [ "${SKIP_VIPS:-0}" != "1" ]; then
  echo "=== photo workload vs libvips"
  "$repo/bench/vs-libvips.sh" | tee "$work/vips.txt"
  v=$(sed -n 's/.*libvips \([0-9.]*\) images\/s (mean.*/\1/p' "$work/vips.txt")
  [ -n "$v" ] && vips_ref=(--reference "libvips photo C=4=$v")
fi

if [ "${SKIP_MATRIX:-0}" != "1" ]; then
  echo "=== matrix: one all-roles node on $bench_host, heap $bench_heap (load $(loadavg))"
  start_node matrix "$bench_host" 25590
  # A fresh JVM compiles its hot code for the first few hundred requests (the C2 compiler alone took
  # 20 ms of CPU per request over the first 200 demo requests, 5 ms still after 700): warm the node up
  # as a minute of traffic would, unmeasured, so the matrix measures a node in service, not its JIT.
  "$repo/imgpipe" bench --workload demo --concurrency 2 --requests "${WARMUP_DEMO:-300}" --warmup 0 \
    --orchestrator "$bench_host:50055" >/dev/null
  "$repo/imgpipe" bench --workload photo --concurrency 2 --requests "${WARMUP_PHOTO:-40}" --warmup 0 \
    --orchestrator "$bench_host:50055" >/dev/null
  "$repo/imgpipe" bench --workload demo,photo --matrix --requests "$requests" --warmup 16 \
    --orchestrator "$bench_host:50055" --node-pid "$node_pid" \
    --report "$out_dir/bench-matrix.md" --chart "$out_dir/bench-chart.png" "${vips_ref[@]}" \
    --reference "target demo C=4=40"
  stop_nodes
fi

if [ "${SKIP_SCALING:-0}" != "1" ] && [ "$(nproc)" -ge 2 ]; then
  wl=${SCALING_WORKLOAD:-demo}
  sreq=${SCALING_REQUESTS:-400}
  h1=${bench_host%.*}.91
  h2=${bench_host%.*}.92
  echo "=== scaling ($wl): one node on core 0 (load $(loadavg))"
  start_node one "$h1" 25591 0
  one=$(taskset -c 0 "$repo/imgpipe" bench --workload "$wl" --concurrency 4 --requests "$sreq" --warmup "${SCALING_WARMUP:-100}" \
    --orchestrator "$h1:50055" | sed -n 's/^throughput *\([0-9.]*\) requests\/s/\1/p')
  stop_nodes
  echo "one node, one core: $one images/s"
  echo "=== scaling ($wl): two nodes, cores 0 and 1, one cluster (load $(loadavg))"
  # Twice the slots, so that each node keeps four of each stage: its pool then has a local slot for
  # every one of its client's four requests and sends no raster to the other node.
  slots2="-Dimgpipe.pools.resize.slots=8 -Dimgpipe.pools.filter.slots=8 -Dimgpipe.pools.watermark.slots=8 -Dimgpipe.pools.format.slots=8"
  IMGPIPE_BENCH_JVM_OPTS="${IMGPIPE_BENCH_JVM_OPTS:-} $slots2" start_node a "$h1" 25591 0
  IMGPIPE_BENCH_JVM_OPTS="${IMGPIPE_BENCH_JVM_OPTS:-} $slots2" start_node b "$h2" 25592 1 "$h1:25591"
  taskset -c 0 "$repo/imgpipe" bench --workload "$wl" --concurrency 4 --requests "$sreq" --warmup "${SCALING_WARMUP:-100}" \
    --orchestrator "$h1:50055" >"$work/a.txt" &
  ca=$!
  taskset -c 1 "$repo/imgpipe" bench --workload "$wl" --concurrency 4 --requests "$sreq" --warmup "${SCALING_WARMUP:-100}" \
    --orchestrator "$h2:50055" >"$work/b.txt" &
  cb=$!
  wait "$ca" "$cb"
  stop_nodes
  ta=$(sed -n 's/^throughput *\([0-9.]*\) requests\/s/\1/p' "$work/a.txt")
  tb=$(sed -n 's/^throughput *\([0-9.]*\) requests\/s/\1/p' "$work/b.txt")
  grep -A3 "^  127" "$work/a.txt" "$work/b.txt" || true
  echo "two nodes, one core each: $ta + $tb images/s"
  awk -v a="$ta" -v b="$tb" -v o="$one" 'BEGIN { printf "scaling: two nodes / one node = %.2f\n", (a + b) / o }'
fi
echo "load average at the end: $(loadavg)"
