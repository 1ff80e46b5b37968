#!/usr/bin/env bash
# One all-roles node, this checkout against another build of imgpipe, in interleaved rounds: the same
# 30-image demo batch through ../shared/tools/loadgen.py (Python's xmlrpc.client), one node running at a
# time, each on its own loopback address. Prints every measured batch and the median of each side.
#
#   bench/ab-single-node.sh OTHER_CHECKOUT     e.g. a `git worktree add /tmp/before <commit>` that was built
#                                              with `mvn -B -q package -DskipTests`
#   ROUNDS=3 WARMUP=8 BATCHES=3 CONCURRENCY=4  rounds of (warm-up batches, measured batches) per side
#
# Uses the documented ports on 127.0.0.31 (this checkout) and 127.0.0.32 (the other one). Not part of CI.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
other=$(cd "${1:?usage: bench/ab-single-node.sh OTHER_CHECKOUT}" && pwd)
rounds=${ROUNDS:-3}
warmup=${WARMUP:-8}
batches=${BATCHES:-3}
concurrency=${CONCURRENCY:-4}
loadgen=${LOADGEN:-$repo/../shared/tools/loadgen.py}
out=${OUT:-$repo/bench-results/ab-single-node-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$out"

for side in "$repo" "$other"; do
  ls "$side"/client/target/client-*.jar >/dev/null 2>&1 || { echo "ab: $side is not built (mvn -B -q package -DskipTests)" >&2; exit 1; }
done
cp=$(ls "$repo"/client/target/client-*.jar | grep -v -- -tests.jar | head -1)
java -cp "$cp:$repo/client/target/lib/*" org.imgpipe.demo.SyntheticBatch "$out/inputs" >/dev/null

pid=""
stop() { [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; pid=""; }
trap stop EXIT

# CPU time (ms) the node's JVM has used so far (the launcher execs java, so its pid is the JVM's).
cpu_ms() { awk -v hz="$(getconf CLK_TCK)" '{print int(($14 + $15) * 1000 / hz)}' "/proc/$1/stat"; }

run_side() {
  local name=$1 dir=$2 host=$3 i line
  IMGPIPE_SKIP_BUILD=1 "$dir/imgpipe" node --roles all --host "$host" >"$out/$name.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 240); do curl -fs "http://$host:50055/ready" >/dev/null 2>&1 && break; sleep 0.5; done
  curl -fs "http://$host:50055/ready" >/dev/null || { echo "ab: the $name node did not become ready" >&2; exit 1; }
  for i in $(seq 1 "$warmup"); do
    python3 "$loadgen" "http://$host:50055/RPC2" "$out/inputs" --concurrency "$concurrency" >/dev/null 2>&1
  done
  for i in $(seq 1 "$batches"); do
    cpu0=$(cpu_ms "$pid")
    line=$(python3 "$loadgen" "http://$host:50055/RPC2" "$out/inputs" --concurrency "$concurrency" 2>>"$out/errors.log" | tail -1)
    ok=$(sed -n 's/.*ok=\([0-9]*\).*/\1/p' <<<"$line")
    echo "$name $line node_cpu=$(( ($(cpu_ms "$pid") - cpu0) / (${ok:-0} > 0 ? ok : 1) ))ms/image" | tee -a "$out/batches.txt"
  done
  stop
}

echo "ab: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); this: $(git -C "$repo" rev-parse --short HEAD), other: $(git -C "$other" rev-parse --short HEAD 2>/dev/null || echo "$other")"
for r in $(seq 1 "$rounds"); do
  run_side this "$repo" 127.0.0.31
  run_side other "$other" 127.0.0.32
done

python3 - "$out/batches.txt" <<'PY'
import re, statistics, sys
sides = {}
for line in open(sys.argv[1]):
    name = line.split()[0]
    m = re.search(r"throughput=([0-9.]+).*ok=(\d+) failed=(\d+).*p50=(\d+)ms p95=(\d+)ms.*node_cpu=(\d+)ms", line)
    if m:
        sides.setdefault(name, []).append(tuple(float(x) for x in m.groups()))
for name, rows in sides.items():
    print(f"{name}: {len(rows)} batches, median {statistics.median(r[0] for r in rows):.2f} images/s, "
          f"median p50 {statistics.median(r[3] for r in rows):.0f} ms, p95 {statistics.median(r[4] for r in rows):.0f} ms, "
          f"median node CPU {statistics.median(r[5] for r in rows):.0f} ms/image, failed {int(sum(r[2] for r in rows))}")
if "this" in sides and "other" in sides:
    a = statistics.median(r[0] for r in sides["this"])
    b = statistics.median(r[0] for r in sides["other"])
    print(f"this / other: {a / b:.2f}")
PY
