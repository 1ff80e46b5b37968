#!/usr/bin/env bash
# The image's HEALTHCHECK (installed as /usr/local/bin/imgpipe-healthcheck): GET /health on the service
# ports of this node's roles, over bash's /dev/tcp so that the image needs no curl.
#   Ports: IMGPIPE_HEALTH_PORTS (comma-separated) if set; else the ports of the roles given with
#   --roles on the node's command line or in IMGPIPE_ROLES (all of them must answer 200); else any of
#   the five service ports answering 200 is enough (roles then come from a conf file).
# Exit 0 = healthy, 1 = unhealthy.
set -uo pipefail

host=${IMGPIPE_HOST:-127.0.0.1}
case $host in 0.0.0.0 | "" | "::") host=127.0.0.1 ;; esac

port_of() {
  case $1 in
    resize) echo 50052 ;; filter) echo 50053 ;; watermark) echo 50054 ;;
    orchestrator) echo 50055 ;; format) echo 50056 ;;
    all) echo 50052 50053 50054 50055 50056 ;;
  esac
}

roles=""
# The JVM is process 1; its arguments end with the node command's own flags.
if [ -r /proc/1/cmdline ]; then
  mapfile -d '' args </proc/1/cmdline || true
  for ((i = 0; i < ${#args[@]}; i++)); do
    case ${args[i]} in
      --roles) roles=${args[i + 1]:-} ;;
      --roles=*) roles=${args[i]#--roles=} ;;
    esac
  done
fi
roles=${roles:-${IMGPIPE_ROLES:-}}

mode=all
if [ -n "${IMGPIPE_HEALTH_PORTS:-}" ]; then
  ports=${IMGPIPE_HEALTH_PORTS//,/ }
elif [ -n "$roles" ]; then
  ports=$(for r in ${roles//,/ }; do port_of "$(tr '[:upper:]' '[:lower:]' <<<"$r")"; done | sort -u)
else
  ports="50055 50052 50053 50054 50056"
  mode=any
fi

probe() {
  timeout 3 bash -c '
    exec 3<>"/dev/tcp/$0/$1" || exit 1
    printf "GET /health HTTP/1.0\r\nHost: localhost\r\nConnection: close\r\n\r\n" >&3
    IFS= read -r status <&3 || exit 1
    case $status in "HTTP/1."?" 200"*) exit 0 ;; *) exit 1 ;; esac
  ' "$host" "$1" 2>/dev/null
}

for p in $ports; do
  if probe "$p"; then
    [ "$mode" = any ] && exit 0
  else
    [ "$mode" = all ] && { echo "port $p: /health not answering 200"; exit 1; }
  fi
done
[ "$mode" = all ] && [ -n "$ports" ] && exit 0
echo "no service port answers /health with 200"
exit 1
