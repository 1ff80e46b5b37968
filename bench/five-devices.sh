#!/usr/bin/env bash
# The original's deployment on one Linux machine: one node per "device", each in its own network
# namespace, joined by a bridge whose links are shaped with tc tbf, and the original's 30-image demo batch
# sent to device 5 by ../shared/tools/loadgen.py (Python's xmlrpc.client) from a sixth namespace, the
# client's device. Reports throughput, latency p50/p95 and the bytes each image puts on the wire, summed
# over every link and counted on both ends (docs/performance.md, "Five devices over shaped links").
#
# usage (as root): bench/five-devices.sh
#   RATES="100mbit 1gbit"       link rates, each way, on every link
#   MODES="direct hub hub-raw"  direct: results go from stage to stage (the default);
#                               hub: every result comes back to device 5, compressed (delivery.direct=off);
#                               hub-raw: the same as raw pixels (delivery.direct=off, delivery.compact=off)
#   CONCURRENCY=4 WARMUP=2 RUNS=3  batches sent before measuring, and measured batches, per rate and mode
#   KILL_WATERMARK=1            adds device 6 (a second watermark node) and kill -9s device 3 during the
#                               first measured batch of each rate and mode
#   LOADGEN=../shared/tools/loadgen.py   the client
#   LAYOUT=compose              instead of namespaces: the all-in-one docker/docker-compose.yml (14 containers,
#                               cluster TLS), brought up by docker/smoke.sh --keep (which builds the image and
#                               runs the demo once, a warm-up), measured with the same client and the same
#                               figures from the host; bytes are counted on the compose network's links.
#                               Needs a Docker daemon and docker-compose; SMOKE_SERVICES picks a subset.
#                               RATES and MODES do not apply (the compose network is not shaped).
#   OUT=bench-results/five-devices-<time>   where logs and the result table go
# Needs: iproute2 (ip, tc), python3, curl; iptables if the FORWARD policy drops bridged frames (Docker).
# Everything it creates (namespaces imgp-dev*, bridge imgpbr0, the iptables rule, the nodes) is removed
# at the end, also on failure or Ctrl-C. Not part of CI: it needs root and several minutes.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
rates=${RATES:-100mbit 1gbit}
modes=${MODES:-direct hub hub-raw}
concurrency=${CONCURRENCY:-4}
warmup=${WARMUP:-2}
runs=${RUNS:-3}
kill_watermark=${KILL_WATERMARK:-0}
loadgen=${LOADGEN:-$repo/../shared/tools/loadgen.py}
out=${OUT:-$repo/bench-results/five-devices-$(date +%Y%m%d-%H%M%S)}
heap=${IMGPIPE_BENCH_HEAP:-768m}
bridge=imgpbr0
net=10.77.0
orchestrator=$net.15

[ "$(id -u)" = 0 ] || { echo "five-devices: run as root (network namespaces and tc)" >&2; exit 1; }
[ -f "$loadgen" ] || { echo "five-devices: no loadgen at $loadgen (set LOADGEN)" >&2; exit 1; }
for c in ip tc python3 curl; do command -v "$c" >/dev/null || { echo "five-devices: $c is missing" >&2; exit 1; }; done
mkdir -p "$out"

# device -> roles; device 0 is the client's, device 6 the second watermark node (KILL_WATERMARK=1).
declare -A roles=([1]=resize [2]=filter [3]=watermark [4]=format [5]=orchestrator [6]=watermark)
devices=(0 1 2 3 4 5)
[ "$kill_watermark" = 1 ] && devices+=(6)
declare -A pids=()
iptables_rule=0

addr() { echo "$net.$((10 + $1))"; }
ns() { echo "imgp-dev$1"; }

stop_nodes() {
  local d
  for d in "${!pids[@]}"; do kill "${pids[$d]}" 2>/dev/null || true; done
  for d in "${!pids[@]}"; do
    for _ in $(seq 1 100); do kill -0 "${pids[$d]}" 2>/dev/null || break; sleep 0.2; done
    kill -9 "${pids[$d]}" 2>/dev/null || true
  done
  pids=()
}

teardown() {
  stop_nodes
  local d
  for d in 0 1 2 3 4 5 6; do ip netns del "$(ns "$d")" 2>/dev/null || true; ip link del "imgp-v$d" 2>/dev/null || true; done
  ip link del "$bridge" 2>/dev/null || true
  if [ "$iptables_rule" = 1 ]; then iptables -D FORWARD -i "$bridge" -o "$bridge" -j ACCEPT 2>/dev/null || true; fi
}
trap teardown EXIT
trap 'exit 130' INT TERM

# One link per device: a veth pair from the bridge into the device's namespace, shaped both ways.
make_links() {
  local rate=$1 burst=$2 d
  teardown
  ip link add "$bridge" type bridge
  ip link set "$bridge" up
  if command -v iptables >/dev/null && iptables -I FORWARD -i "$bridge" -o "$bridge" -j ACCEPT 2>/dev/null; then
    iptables_rule=1
  fi
  for d in "${devices[@]}"; do
    ip netns add "$(ns "$d")"
    ip link add "imgp-v$d" type veth peer name eth0 netns "$(ns "$d")"
    ip link set "imgp-v$d" master "$bridge" up
    ip netns exec "$(ns "$d")" ip addr add "$(addr "$d")/24" dev eth0
    ip netns exec "$(ns "$d")" ip link set eth0 up
    ip netns exec "$(ns "$d")" ip link set lo up
    tc qdisc add dev "imgp-v$d" root tbf rate "$rate" burst "$burst" latency 100ms
    ip netns exec "$(ns "$d")" tc qdisc add dev eth0 root tbf rate "$rate" burst "$burst" latency 100ms
  done
}

start_node() {
  local d=$1 mode=$2 opts=""
  case "$mode" in
    hub) opts="-Dimgpipe.delivery.direct=off" ;;
    hub-raw) opts="-Dimgpipe.delivery.direct=off -Dimgpipe.delivery.compact=off" ;;
  esac
  ip netns exec "$(ns "$d")" env IMGPIPE_SKIP_BUILD=1 \
    "IMGPIPE_JAVA_OPTS=-Xmx$heap -XX:+UseG1GC -XX:G1HeapRegionSize=16m -XX:+ExitOnOutOfMemoryError $opts ${BENCH_JVM_OPTS:-}" \
    "$repo/imgpipe" node --roles "${roles[$d]}" --host "$(addr "$d")" --seed-nodes "$orchestrator:25520" \
    >"$out/$mode-dev$d.log" 2>&1 &
  pids[$d]=$!
}

# Waits (bounded) until device 5 answers /ready: every stage has an Up member.
await_ready() {
  local mode=$1
  for _ in $(seq 1 240); do
    if ip netns exec "$(ns 0)" curl -fs "http://$orchestrator:50055/ready" >/dev/null 2>&1; then return 0; fi
    sleep 0.5
  done
  echo "five-devices: the cluster did not become ready in 120 s ($mode); device 5's log:" >&2
  tail -20 "$out/$mode-dev5.log" >&2
  return 1
}

link_bytes() {
  local d sum=0
  for d in "${devices[@]}"; do
    sum=$((sum + $(cat "/sys/class/net/imgp-v$d/statistics/rx_bytes") + $(cat "/sys/class/net/imgp-v$d/statistics/tx_bytes")))
  done
  echo "$sum"
}

# CPU time (ms) each node's JVM has used so far.
cpu_ms() {
  local d hz
  hz=$(getconf CLK_TCK)
  for d in "${!pids[@]}"; do
    if [ -r "/proc/${pids[$d]}/stat" ]; then
      echo -n "dev$d:$(awk -v hz="$hz" '{print int(($14 + $15) * 1000 / hz)}' "/proc/${pids[$d]}/stat") "
    fi
  done
}

# Per device: KiB per image it sent and received, for the log.
link_detail() {
  local d
  for d in "${devices[@]}"; do
    echo -n "dev$d:$(cat "/sys/class/net/imgp-v$d/statistics/rx_bytes"):$(cat "/sys/class/net/imgp-v$d/statistics/tx_bytes") "
  done
}

# One batch from the client's device; prints loadgen's summary line plus the bytes per image.
batch() {
  local before after line ok detail0 cpu0
  detail0=$(link_detail)
  cpu0=$(cpu_ms)
  before=$(link_bytes)
  line=$(ip netns exec "$(ns 0)" python3 "$loadgen" "http://$orchestrator:50055/RPC2" "$inputs" \
    --concurrency "$concurrency" 2>>"$out/loadgen-errors.log" | tail -1)
  after=$(link_bytes)
  ok=$(sed -n 's/.*ok=\([0-9]*\).*/\1/p' <<<"$line")
  echo -n "$rate $mode: " >>"$out/links.log"
  python3 - "$detail0" "$(link_detail)" "${ok:-0}" >>"$out/links.log" <<'PY'
import sys
a = {x.split(':')[0]: x.split(':')[1:] for x in sys.argv[1].split()}
b = {x.split(':')[0]: x.split(':')[1:] for x in sys.argv[2].split()}
n = max(1, int(sys.argv[3]))
print(' '.join(f"{d}: sent {(int(b[d][0]) - int(a[d][0])) / n / 1024:.0f} KiB, received {(int(b[d][1]) - int(a[d][1])) / n / 1024:.0f} KiB;" for d in sorted(a)))
PY
  python3 - "$cpu0" "$(cpu_ms)" "${ok:-0}" >>"$out/links.log" <<'PY'
import sys
a = dict(x.split(':') for x in sys.argv[1].split())
b = dict(x.split(':') for x in sys.argv[2].split())
n = max(1, int(sys.argv[3]))
cpu = {d: (int(b[d]) - int(a[d])) / n for d in sorted(a) if d in b}
print('  node CPU ms per image: ' + ' '.join(f"{d} {v:.0f};" for d, v in cpu.items()) + f" all nodes {sum(cpu.values()):.0f}")
PY
  echo "$line bytes_per_image=$(( (after - before) / (ok > 0 ? ok : 1) / 1024 ))KiB"
}

inputs="$out/inputs"
cp=$("$repo/imgpipe" --version >/dev/null 2>&1; ls "$repo"/client/target/client-*.jar | grep -v -- -tests.jar | head -1)
java -cp "$cp:$repo/client/target/lib/*" org.imgpipe.demo.SyntheticBatch "$inputs" >/dev/null

results="$out/results.md"

# The all-in-one compose file: the containers' veths on the compose network's bridge are the links.
if [ "${LAYOUT:-namespaces}" = compose ]; then
  command -v docker-compose >/dev/null || { echo "five-devices: LAYOUT=compose needs docker-compose" >&2; exit 1; }
  project=imgpipe-smoke
  # smoke.sh made the run's certificates in a folder it removed again, so the containers are found by
  # their compose labels rather than through docker-compose (which would need those files).
  remove_project() {
    docker ps -aq --filter "label=com.docker.compose.project=$project" | xargs -r docker rm -f >/dev/null 2>&1 || true
    docker network ls -q --filter "label=com.docker.compose.project=$project" | xargs -r docker network rm >/dev/null 2>&1 || true
  }
  trap remove_project EXIT
  SMOKE_STRANGER=0 "$repo/docker/smoke.sh" --keep --tag imgpipe:bench >"$out/compose-up.log" 2>&1 \
    || { tail -30 "$out/compose-up.log" >&2; exit 1; }
  network=$(docker inspect --format '{{range $k, $v := .NetworkSettings.Networks}}{{$k}} {{end}}' \
    "$(docker ps -q --filter "label=com.docker.compose.project=$project" \
      --filter "label=com.docker.compose.service=orchestrator")" | awk '{print $1}')
  bridge_if=br-$(docker network inspect --format '{{.Id}}' "$network" | cut -c1-12)
  compose_bytes() {
    local v sum=0
    for v in /sys/class/net/"$bridge_if"/brif/*; do
      v=$(basename "$v")
      sum=$((sum + $(cat "/sys/class/net/$v/statistics/rx_bytes") + $(cat "/sys/class/net/$v/statistics/tx_bytes")))
    done
    echo "$sum"
  }
  compose_batch() {
    local before after line ok
    before=$(compose_bytes)
    line=$(python3 "$loadgen" "http://127.0.0.1:50055/RPC2" "$inputs" --concurrency "$concurrency" \
      2>>"$out/loadgen-errors.log" | tail -1)
    after=$(compose_bytes)
    ok=$(sed -n 's/.*ok=\([0-9]*\).*/\1/p' <<<"$line")
    echo "$line bytes_per_image=$(( (after - before) / (${ok:-0} > 0 ? ok : 1) / 1024 ))KiB"
  }
  members=$(docker ps -q --filter "label=com.docker.compose.project=$project" | wc -l)
  echo "| layout | images/s | p50 ms | p95 ms | failed | bytes on the wire per image |" >"$out/compose.md"
  echo "| --- | ---: | ---: | ---: | ---: | ---: |" >>"$out/compose.md"
  echo "five-devices: compose, $members containers on $bridge_if, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)" >&2
  for i in $(seq 1 "$warmup"); do echo "five-devices: compose warm-up $i: $(compose_batch)" >&2; done
  for i in $(seq 1 "$runs"); do
    r=$(compose_batch)
    echo "five-devices: compose batch $i: $r" >&2
    echo "| compose ($members containers) | $(sed -n 's/.*throughput=\([0-9.]*\).*/\1/p' <<<"$r") | $(sed -n 's/.*p50=\([0-9]*\)ms.*/\1/p' <<<"$r") | $(sed -n 's/.*p95=\([0-9]*\)ms.*/\1/p' <<<"$r") | $(sed -n 's/.*failed=\([0-9]*\).*/\1/p' <<<"$r") | $(sed -n 's/.*bytes_per_image=\([0-9]*\)KiB.*/\1/p' <<<"$r") KiB |" >>"$out/compose.md"
  done
  cat "$out/compose.md"
  exit 0
fi
echo "| links | mode | batch | images/s | p50 ms | p95 ms | failed | bytes on the wire per image |" >"$results"
echo "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: |" >>"$results"
echo "five-devices: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); results in $results" >&2

for rate in $rates; do
  # tbf needs a bucket of at least rate/HZ bytes to reach its rate: 256 kbit at 100 Mbit/s, scaled with it.
  case "$rate" in
    1gbit) burst=2560kbit ;;
    *) burst=256kbit ;;
  esac
  for mode in $modes; do
    make_links "$rate" "$burst"
    start_node 5 "$mode"
    for _ in $(seq 1 120); do ip netns exec "$(ns 0)" curl -fs "http://$orchestrator:50055/health" >/dev/null 2>&1 && break; sleep 0.5; done
    for d in "${devices[@]}"; do [ "$d" = 0 ] || [ "$d" = 5 ] || start_node "$d" "$mode"; done
    await_ready "$mode"
    for i in $(seq 1 "$warmup"); do
      echo "five-devices: $rate $mode warm-up $i: $(batch)" >&2
    done
    # What the warm nodes cost while no request arrives (heartbeats, gossip, timers), for the log.
    c0=$(cpu_ms); sleep 10; c1=$(cpu_ms)
    python3 - "$c0" "$c1" >>"$out/links.log" <<'PY'
import sys
a = dict(x.split(':') for x in sys.argv[1].split())
b = dict(x.split(':') for x in sys.argv[2].split())
print("idle CPU ms per second: " + ' '.join(f"{d} {(int(b[d]) - int(a[d])) / 10:.0f};" for d in sorted(a) if d in b))
PY
    for i in $(seq 1 "$runs"); do
      if [ "$kill_watermark" = 1 ] && [ "$i" = 1 ]; then
        (sleep 1.5; kill -9 "${pids[3]}" 2>/dev/null && echo "five-devices: kill -9 of device 3 (watermark)" >&2) &
      fi
      r=$(batch)
      echo "five-devices: $rate $mode batch $i: $r" >&2
      tp=$(sed -n 's/.*throughput=\([0-9.]*\).*/\1/p' <<<"$r")
      p50=$(sed -n 's/.*p50=\([0-9]*\)ms.*/\1/p' <<<"$r")
      p95=$(sed -n 's/.*p95=\([0-9]*\)ms.*/\1/p' <<<"$r")
      failed=$(sed -n 's/.*failed=\([0-9]*\).*/\1/p' <<<"$r")
      bpi=$(sed -n 's/.*bytes_per_image=\([0-9]*\)KiB.*/\1/p' <<<"$r")
      echo "| $rate | $mode | $i | $tp | $p50 | $p95 | $failed | $bpi KiB |" >>"$results"
    done
    stop_nodes
  done
done
cat "$results"
