# Shared helpers of the bench scripts (sourced, not run).
# IMGPIPE_BENCH_HOST: the loopback address the bench's nodes bind to (default 127.0.0.90, so the bench
# never meets a node someone else runs on 127.0.0.1). IMGPIPE_BENCH_HEAP: the nodes' -Xmx (512m).

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bench_host=${IMGPIPE_BENCH_HOST:-127.0.0.90}
bench_heap=${IMGPIPE_BENCH_HEAP:-512m}
started_pids=()

# Builds imgpipe if needed (the launcher script does it), and prints the classpath of the client jar.
imgpipe_classpath() {
  "$repo/imgpipe" --version >/dev/null 2>&1 || "$repo/imgpipe" --help >/dev/null
  local jar
  jar=$(ls "$repo"/client/target/client-*.jar | grep -v -- '-tests.jar' | head -1)
  echo "$jar:$repo/client/target/lib/*"
}

# start_node NAME HOST CLUSTER_PORT [CPU_LIST] [SEED] : an all-roles node in the background; waits for
# /ready and sets node_pid (call it directly, not in $(...), so that stop_nodes knows the pid).
start_node() {
  local name=$1 host=$2 cport=$3 cpus=${4:-} seed=${5:-}
  local log="$work/$name.log"
  local cmd=(env IMGPIPE_SKIP_BUILD=1 "IMGPIPE_JAVA_OPTS=-Xmx$bench_heap -Xms$bench_heap -XX:+UseG1GC -XX:G1HeapRegionSize=16m -XX:+ExitOnOutOfMemoryError ${IMGPIPE_BENCH_JVM_OPTS:-}"
    "$repo/imgpipe" node --host "$host" --cluster-port "$cport")
  [ -n "$seed" ] && cmd+=(--seed-nodes "$seed")
  if [ -n "$cpus" ]; then
    taskset -c "$cpus" "${cmd[@]}" >"$log" 2>&1 &
  else
    "${cmd[@]}" >"$log" 2>&1 &
  fi
  local pid=$!
  started_pids+=("$pid")
  for _ in $(seq 1 240); do
    if curl -fs "http://$host:50055/ready" >/dev/null 2>&1; then
      node_pid=$pid
      return 0
    fi
    kill -0 "$pid" 2>/dev/null || { echo "node $name exited; its log:" >&2; tail -20 "$log" >&2; return 1; }
    sleep 0.5
  done
  echo "node $name not ready after 120 s; its log:" >&2
  tail -20 "$log" >&2
  return 1
}

# Stops the nodes this script started (by pid, SIGTERM: they leave the cluster and exit).
stop_nodes() {
  local p
  for p in "${started_pids[@]:-}"; do
    [ -n "$p" ] && kill "$p" 2>/dev/null || true
  done
  for p in "${started_pids[@]:-}"; do
    [ -n "$p" ] && wait "$p" 2>/dev/null || true
  done
  started_pids=()
}

loadavg() { cut -d' ' -f1-3 /proc/loadavg; }
