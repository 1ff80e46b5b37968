#!/usr/bin/env bash
# Issue 17's attack, as an attacker would make it: three nodes on 127.0.0.1-3 (A = orchestrator + format,
# B and C = resize + filter + watermark), one process_image call with the 94-byte PNG (a 1x1 IHDR, then a
# second IHDR claiming 20000x20000, a tiny IDAT and IEND), then whether every node is still alive, and
# the original's 30-image demo batch through loadgen.py at concurrency 4.
#
#   bench/poison-three-nodes.sh            # results in target/poison-three-nodes/
#
# Uses the documented ports (50052-50056, cluster 25520) on 127.0.0.1-3: nothing else may listen there.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
out=$repo/target/poison-three-nodes
loadgen=${LOADGEN:-$repo/../shared/tools/loadgen.py}
heap=${HEAP:-768m}
mkdir -p "$out"
rm -f "$out"/*.log

"$repo/imgpipe" --help >/dev/null 2>&1 || true # builds if needed
cp="$(ls "$repo"/client/target/client-*.jar | grep -v -- '-tests.jar' | head -1):$repo/client/target/lib/*"

declare -A roles=([1]="orchestrator,format" [2]="resize,filter,watermark" [3]="resize,filter,watermark")
declare -A pids=()
stop() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
}
trap stop EXIT

for n in 1 2 3; do
  seed=()
  [ "$n" != 1 ] && seed=(--seed-nodes 127.0.0.1:25520)
  env IMGPIPE_SKIP_BUILD=1 "IMGPIPE_JAVA_OPTS=-Xmx$heap -XX:+ExitOnOutOfMemoryError" \
    "$repo/imgpipe" node --roles "${roles[$n]}" --host "127.0.0.$n" "${seed[@]}" >"$out/node$n.log" 2>&1 &
  pids[$n]=$!
done
for _ in $(seq 1 240); do
  curl -fs http://127.0.0.1:50055/ready >/dev/null 2>&1 && break
  sleep 0.5
done
curl -fs http://127.0.0.1:50055/ready >/dev/null || { echo "the cluster did not become ready" >&2; exit 1; }

python3 - <<'PY' | tee "$out/poison.txt"
import struct, time, zlib, xmlrpc.client

def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xffffffff)

ihdr = lambda w, h: chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
png = (b"\x89PNG\r\n\x1a\n" + ihdr(1, 1) + ihdr(20000, 20000)
       + chunk(b"IDAT", zlib.compress(b"\x00\x00\x00\x00")) + chunk(b"IEND", b""))
print(f"poison PNG: {len(png)} bytes")
proxy = xmlrpc.client.ServerProxy("http://127.0.0.1:50055/RPC2")
t = time.time()
r = proxy.process_image("poison.png", xmlrpc.client.Binary(png),
                        {"target_width": 800, "target_height": 600, "filters": ["BLUR"]})
print(f"answer in {(time.time() - t) * 1000:.0f} ms: success={r['success']} message={r.get('message')!r}")
PY

sleep 2
alive=0
for n in 1 2 3; do
  if kill -0 "${pids[$n]}" 2>/dev/null; then alive=$((alive + 1)); else echo "node $n (127.0.0.$n) is gone" >&2; fi
done
echo "nodes alive after the poison call: $alive of 3" | tee -a "$out/poison.txt"

inputs=$out/inputs
java -cp "$cp" org.imgpipe.demo.SyntheticBatch "$inputs" >/dev/null
python3 "$loadgen" http://127.0.0.1:50055/RPC2 "$inputs" --concurrency 4 2>>"$out/loadgen-errors.log" \
  | tail -1 | sed 's/^/batch after it: /' | tee -a "$out/poison.txt"
grep -h "quarantin\|OutOfMemory\|exited" "$out"/node*.log | head -5 || true
