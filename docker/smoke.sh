#!/usr/bin/env bash
# End-to-end smoke test of the container packaging, on one machine with a Docker daemon:
#   1. builds the image (docker/build-image.sh; Maven first if the jars are stale), and makes a throw-away
#      cluster CA and the `one-machine` key store for the run (docker/make-cluster-certs.sh),
#   2. brings up docker/docker-compose.yml (14 containers, one Akka cluster over mutual TLS) under its own
#      project name,
#      with the orchestrator's port 50055 published on 127.0.0.1 only; by default in four waves
#      (orchestrator; resize and format; filter; watermark), each healthy before the next
#      (SMOKE_WAVES=0: all with one `docker-compose up -d`; SMOKE_SERVICES="orchestrator resize-1 filter-1
#      watermark-1 format-1": only these services of the file, for a machine too small for 14 JVMs),
#   3. waits for every container's health check and for the cluster to have all 14 members,
#   4. runs `imgpipe demo --orchestrator 127.0.0.1:50055 --no-embedded` and checks 30/30 (the demo's summary, and the
#      30 output files: PNG, 1280x720), then checks that a node without the cluster's certificate, started
#      on the compose network, cannot join (SMOKE_STRANGER=0 skips that),
#   5. shows how the work spread over the containers (the demo's summary, the per-container stage
#      metrics, the orchestrator's log),
#   6. tears everything down (also on failure or Ctrl-C).
# Traffic goes only to 127.0.0.1 and to the containers this script started. Not part of CI.
# usage: docker/smoke.sh [--base IMAGE] [--tag TAG] [--keep]
#   --base IMAGE  base image for the build (default: eclipse-temurin:17-jre when present locally, else
#                 local/jre17:bookworm when present, else eclipse-temurin:17-jre from the registry)
#   --tag TAG     image tag to build and run (default imgpipe:smoke)
#   --keep        leave the containers running at the end (tear down later with the printed command)
set -euo pipefail

root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
compose_file="$root/docker/docker-compose.yml"
project=imgpipe-smoke
base=""
tag=imgpipe:smoke
keep=0
nodes=14
waves=("orchestrator" "resize-1 resize-2 resize-3 format-1 format-2" "filter-1 filter-2 filter-3 filter-4 filter-5"
  "watermark-1 watermark-2 watermark-3")
if [ -n "${SMOKE_SERVICES:-}" ]; then
  read -r -a only <<<"$SMOKE_SERVICES"
  printf '%s\n' "${only[@]}" | grep -qx orchestrator || { echo "smoke.sh: SMOKE_SERVICES must include orchestrator" >&2; exit 2; }
  nodes=${#only[@]}
  rest=$(printf '%s\n' "${only[@]}" | grep -vx orchestrator | tr '\n' ' ')
  waves=("orchestrator" "$rest")
fi
health_timeout=${SMOKE_HEALTH_TIMEOUT:-480}
cluster_timeout=${SMOKE_CLUSTER_TIMEOUT:-240}
demo_timeout=${SMOKE_DEMO_TIMEOUT:-900}

while [ $# -gt 0 ]; do
  case $1 in
    --base) base=${2:?--base needs an image}; shift 2 ;;
    --tag) tag=${2:?--tag needs a tag}; shift 2 ;;
    --keep) keep=1; shift ;;
    -h | --help) sed -n '2,25p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "smoke.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
done

step() { printf '\n=== %s (%s)\n' "$*" "$(date -u +%H:%M:%S)"; }
fail() { echo "SMOKE FAILED: $*" >&2; exit 1; }

command -v docker-compose >/dev/null || fail "docker-compose (compose v1) is not installed"
export IMGPIPE_IMAGE=$tag IMGPIPE_PUBLISH_ADDRESS=127.0.0.1
# Creating 14 containers on a busy machine can keep the daemon from answering within compose's 60 s.
export COMPOSE_HTTP_TIMEOUT=${COMPOSE_HTTP_TIMEOUT:-300}
dc() { docker-compose -p "$project" -f "$compose_file" "$@"; }

# HTTP GET on 127.0.0.1 inside the given container (or on this machine without one), with bash's
# /dev/tcp so that neither side needs curl: prints the body, fails unless the status is 200.
read -r -d '' get_script <<'EOS' || true
exec 3<>"/dev/tcp/127.0.0.1/$0" || exit 1
printf 'GET %s HTTP/1.0\r\nHost: localhost\r\nConnection: close\r\n\r\n' "$1" >&3
IFS= read -r status <&3 || exit 1
case $status in "HTTP/1."?" 200"*) ;; *) exit 1 ;; esac
while IFS= read -r line <&3; do [ -z "${line%$'\r'}" ] && break; done
cat <&3
EOS
http_get() { timeout 5 bash -c "$get_script" "$@" 2>/dev/null; }
container_get() { local id=$1; shift; docker exec "$id" timeout 5 bash -c "$get_script" "$@" 2>/dev/null; }

work=$(mktemp -d /tmp/imgpipe-smoke.XXXX)
teardown() {
  rc=$?
  if [ "$keep" = 1 ]; then
    echo "containers left running; tear down with: docker-compose -p $project -f $compose_file down -v --remove-orphans"
  else
    step "tearing down"
    dc down --volumes --remove-orphans --timeout 40 2>&1 | tail -3 || true
    left=$(docker ps -aq --filter "label=com.docker.compose.project=$project" | wc -l)
    echo "containers of project $project left: $left"
  fi
  rm -rf "$work"
  [ "$rc" = 0 ] && echo "SMOKE PASSED" || echo "SMOKE FAILED (exit $rc)"
  exit "$rc"
}
trap teardown EXIT
trap 'exit 130' INT TERM

step "building the image $tag"
if [ -z "$base" ]; then
  if docker image inspect eclipse-temurin:17-jre >/dev/null 2>&1; then base=eclipse-temurin:17-jre
  elif docker image inspect local/jre17:bookworm >/dev/null 2>&1; then base=local/jre17:bookworm
  else base=eclipse-temurin:17-jre; fi
fi
"$root/docker/build-image.sh" --base "$base" --tag "$tag" 2>&1 | grep -v '^ ---> \|^Removing intermediate' | tail -25
docker image inspect "$tag" >/dev/null 2>&1 || fail "image $tag was not built"

if http_get 50055 /health >/dev/null || (exec 3<>/dev/tcp/127.0.0.1/50055) 2>/dev/null; then
  fail "127.0.0.1:50055 is already in use; stop whatever listens there first"
fi

# Waits until every container of the project is running and healthy, and there are $1 of them.
wait_healthy() {
  local want=$1 deadline=$((SECONDS + health_timeout)) ids total healthy bad id st
  while :; do
    ids=$(dc ps -q)
    total=$(wc -w <<<"$ids")
    healthy=0; bad=""
    for id in $ids; do
      st=$(docker inspect --format '{{.State.Status}} {{if .State.Health}}{{.State.Health.Status}}{{end}}' "$id")
      case $st in
        "running healthy") healthy=$((healthy + 1)) ;;
        exited* | dead* | restarting* | *unhealthy) bad="$bad $(docker inspect --format '{{.Name}}' "$id" | sed "s|^/${project}_||")($st)" ;;
      esac
    done
    echo "  $(date -u +%H:%M:%S) healthy $healthy/$want (containers $total)${bad:+; not yet:$bad}"
    [ "$healthy" -ge "$want" ] && return 0
    if [ "$SECONDS" -ge "$deadline" ]; then
      dc ps
      dc logs --no-color --tail 30
      fail "not all containers healthy after ${health_timeout}s"
    fi
    sleep 10
  done
}

step "making the cluster certificates for this run"
# A CA of its own for every run, thrown away with $work; docker/certs stays untouched.
"$root/docker/make-cluster-certs.sh" --dir "$work/certs" one-machine | grep -E '^(making|made)'
export IMGPIPE_CERTS=$work/certs

step "starting $nodes containers (project $project)"
dc down --volumes --remove-orphans --timeout 10 >/dev/null 2>&1 || true
if [ "${SMOKE_WAVES:-1}" = 1 ]; then
  # The same compose file and containers, created a few at a time: fourteen JVMs starting at once on
  # a small, busy machine starve each other (SMOKE_WAVES=0 starts them all with one `up -d`).
  started=0
  for wave in "${waves[@]}"; do
    echo "-- docker-compose up -d $wave"
    # shellcheck disable=SC2086
    dc up -d $wave 2>&1 | grep -v '^Creating.*\.\.\. $' | tail -8
    started=$((started + $(wc -w <<<"$wave")))
    wait_healthy "$started"
  done
else
  # shellcheck disable=SC2086
  dc up -d ${SMOKE_SERVICES:-} 2>&1 | tail -20
fi

step "waiting for every health check (at most ${health_timeout}s)"
wait_healthy "$nodes"
dc ps

step "waiting for one cluster of $nodes members (at most ${cluster_timeout}s)"
deadline=$((SECONDS + cluster_timeout))
while :; do
  metrics=$(http_get 50055 /metrics || true)
  up=$(awk '/^imgpipe_cluster_members\{.*status="up".*\}/ { print int($NF) }' <<<"$metrics" | head -1)
  ready=no; http_get 50055 /ready >/dev/null && ready=yes
  echo "  $(date -u +%H:%M:%S) orchestrator /ready: $ready, members up: ${up:-unknown}"
  if [ -n "$up" ]; then [ "$up" -ge "$nodes" ] && [ "$ready" = yes ] && break
  elif [ "$ready" = yes ]; then break; fi
  if [ "$SECONDS" -ge "$deadline" ]; then
    dc logs --no-color --tail 40 orchestrator
    fail "cluster not complete after ${cluster_timeout}s"
  fi
  sleep 5
done

step "running the demo: imgpipe demo --orchestrator 127.0.0.1:50055 --no-embedded"
set +e
# --no-embedded: fail rather than fall back to an embedded node if the containers do not answer.
(cd "$work" && timeout "$demo_timeout" "$root/imgpipe" demo --orchestrator 127.0.0.1:50055 --no-embedded --clean) 2>&1 | tee "$work/demo.txt"
demo_rc=${PIPESTATUS[0]}
set -e
echo "demo exit code: $demo_rc"

step "checking 30/30"
# The demo's own summary line, and the files it wrote: 30 PNGs of 1280x720.
summary=$(grep -E '^Successful:' "$work/demo.txt" | tail -1 || true)
failed_line=$(grep -E '^Failed:' "$work/demo.txt" | tail -1 || true)
echo "summary: ${summary:-<no 'Successful:' line>} / ${failed_line:-<no 'Failed:' line>}"
check=$(python3 - "$work/output" <<'EOF'
import os, struct, sys
d = sys.argv[1]
ok = 0
for i in range(1, 31):
    p = os.path.join(d, "batch_%03d.png" % i)
    try:
        with open(p, "rb") as f:
            head = f.read(24)
    except OSError:
        print("missing", p); continue
    if head[:8] != b"\x89PNG\r\n\x1a\n":
        print("not a PNG", p); continue
    w, h = struct.unpack(">II", head[16:24])
    if (w, h) != (1280, 720):
        print("wrong size", p, w, h); continue
    ok += 1
print("valid outputs: %d/30" % ok)
EOF
)
echo "$check"
[ "$demo_rc" = 0 ] || fail "the demo exited with $demo_rc"
grep -q 'valid outputs: 30/30' <<<"$check" || fail "fewer than 30 valid output images"
grep -qE '^Successful: +30$' <<<"$summary" || fail "the demo's summary does not say 30 successful"
grep -qE '^Failed: +0$' <<<"$failed_line" || fail "the demo's summary does not say 0 failed"
echo "30/30 images processed"

step "checking cluster TLS"
banner=$(dc logs --no-color orchestrator 2>/dev/null | grep -m1 'cluster TLS' || true)
echo "orchestrator banner: ${banner#*| }"
grep -q 'cluster TLS *mutual TLS, CN=one-machine' <<<"$banner" || fail "the orchestrator does not run cluster TLS"
if [ "${SMOKE_STRANGER:-1}" = 1 ]; then
  # A node of the same image on the same network, without the certificate: it must not get in.
  network=$(docker inspect --format '{{range $k, $v := .NetworkSettings.Networks}}{{$k}} {{end}}' "$(dc ps -q orchestrator)" | awk '{print $1}')
  echo "-- a filter node without the cluster's certificate joins through orchestrator:25520 on $network"
  set +e
  stranger=$(docker run --rm --network "$network" -m 512m "$tag" node --roles filter \
    --seed-nodes orchestrator:25520 --join-timeout 40s 2>&1)
  stranger_rc=$?
  set -e
  grep -E 'could not join|plain TCP' <<<"$stranger" | cut -c1-240
  echo "stranger's exit code: $stranger_rc"
  if [ "$stranger_rc" != 1 ] || ! grep -q 'could not join the cluster' <<<"$stranger"; then
    fail "a node without the certificate was not refused: $stranger"
  fi
  metrics=$(http_get 50055 /metrics || true)
  up=$(awk '/^imgpipe_cluster_members\{.*status="up".*\}/ { print int($NF) }' <<<"$metrics" | head -1)
  echo "members up after the attempt: ${up:-unknown}"
  [ -z "$up" ] || [ "$up" = "$nodes" ] || fail "the cluster has $up members up, not $nodes"
fi

step "work distribution"
echo "-- per container: stage work counted by each node's own /metrics"
for svc in $(dc ps --services | sort -V); do
  id=$(dc ps -q "$svc")
  [ -n "$id" ] || continue
  port=$(docker exec "$id" printenv IMGPIPE_ROLES | sed 's/resize/50052/;s/filter/50053/;s/watermark/50054/;s/orchestrator/50055/;s/format/50056/')
  lines=$(container_get "$id" "$port" /metrics | tr -d '\r' \
    | grep -E '^imgpipe_stage_(jobs_total|work_seconds_count)' | awk '$NF+0 > 0' || true)
  printf '%-14s %s\n' "$svc" "$(tr '\n' ' ' <<<"${lines:-<no stage work recorded>}")"
done
echo "-- stages per serving node in the orchestrator's log (count, node)"
dc logs --no-color orchestrator 2>/dev/null | grep -oE '\b(resize|filter|watermark|format)-[0-9]+:5005[0-9]' | sort -V | uniq -c || true
echo "-- last orchestrator log lines"
dc logs --no-color --tail 15 orchestrator
