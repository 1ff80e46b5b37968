#!/usr/bin/env bash
# The image's `imgpipe` command (installed as /usr/local/bin/imgpipe, the ENTRYPOINT). It prepares the
# node's addresses from the container's environment, then hands over to the project's own imgpipe script,
# which execs the JVM (so the JVM is the container's main process and receives SIGTERM itself).
#
# Besides the launcher's own IMGPIPE_* variables it understands:
#   IMGPIPE_CANONICAL_HOST=auto   advertise this container's own IPv4 address (the one starting with
#                                 IMGPIPE_NETWORK_PREFIX when that is set, else the first one). This is
#                                 also the default when IMGPIPE_HOST is 0.0.0.0 (the image's default) and
#                                 neither --host nor --canonical-host is on the command line.
#   IMGPIPE_SEED_DNS=name,...     build IMGPIPE_SEED_NODES from the addresses these DNS names resolve to
#                                 (Swarm: tasks.<service>), this container's own address left out. Waits
#                                 up to IMGPIPE_SEED_WAIT seconds (default 180) for at least one address.
#   IMGPIPE_SEED_BOOTSTRAP=1      this node may start the cluster: its own address goes first in the
#                                 seed list, so Akka joins an existing cluster through the other seeds if
#                                 one answers, and forms a new cluster only when none does.
#   IMGPIPE_SEED_RESOLVABLE_ONLY=1  drop the seeds of IMGPIPE_SEED_NODES whose host name does not resolve
#                                 yet (containers not created yet), except this node itself. Akka never
#                                 recovers an association to a name that did not resolve at the first
#                                 attempt, so such a seed would make later joins through it fail.
#   IMGPIPE_REQUIRE_ADDRESSES=1   refuse to start without IMGPIPE_CANONICAL_HOST and IMGPIPE_SEED_NODES
#                                 (the per-device compose files fill them from NODE_ADDRESS, SEED_NODES).
set -euo pipefail

home=/opt/imgpipe
log() { echo "imgpipe-container: $*" >&2; }

# Every IPv4 address of this container except loopback, one per line.
own_addresses() {
  local list
  list=$(hostname -I 2>/dev/null || true)
  if [ -z "${list// /}" ]; then
    # No `hostname -I`: read the local routes the kernel lists in fib_trie.
    list=$(awk '/32 host LOCAL/ { print prev } { prev = $2 }' /proc/net/fib_trie 2>/dev/null | sort -u)
  fi
  tr ' ' '\n' <<<"$list" | grep -E '^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$' | grep -v '^127\.' | awk '!seen[$0]++'
}

pick_own_address() {
  local prefix=${IMGPIPE_NETWORK_PREFIX:-} addr
  if [ -n "$prefix" ]; then
    addr=$(own_addresses | while read -r a; do case $a in "$prefix"*) echo "$a" ;; esac; done | head -1)
  else
    addr=$(own_addresses | head -1 || true)
  fi
  [ -n "$addr" ] || { log "no IPv4 address${prefix:+ starting with $prefix} on this container"; return 1; }
  echo "$addr"
}

# Addresses the comma-separated DNS names resolve to, deduplicated, sorted.
resolve_names() {
  local name
  tr ',' '\n' <<<"$1" | while read -r name; do
    name=${name// /}
    [ -n "$name" ] && getent ahostsv4 "$name" 2>/dev/null | awk '{ print $1 }'
  done | sort -u -t. -k1,1n -k2,2n -k3,3n -k4,4n
}

if [ "${1:-node}" = "node" ]; then
  cluster_port=${IMGPIPE_CLUSTER_PORT:-25520}
  if [ "${IMGPIPE_REQUIRE_ADDRESSES:-0}" = "1" ]; then
    missing=""
    [ -n "${IMGPIPE_CANONICAL_HOST:-}" ] || missing="NODE_ADDRESS (this device's address)"
    [ -n "${IMGPIPE_SEED_NODES:-}${IMGPIPE_SEED_DNS:-}" ] || missing="${missing:+$missing and }SEED_NODES (e.g. ORCHESTRATOR_ADDRESS:25520)"
    if [ -n "$missing" ]; then
      log "set $missing in the environment of docker-compose; not starting"
      exit 64
    fi
  fi
  # Bound to every interface with no advertised address given: advertise this container's own IP
  # (the launcher refuses 0.0.0.0 without a canonical host), unless the command line sets either.
  if [ -z "${IMGPIPE_CANONICAL_HOST:-}" ] && [ "${IMGPIPE_HOST:-}" = "0.0.0.0" ] \
    && ! printf '%s\n' "$@" | grep -qE '^--(host|canonical-host)(=|$)'; then
    IMGPIPE_CANONICAL_HOST=auto
  fi
  if [ "${IMGPIPE_CANONICAL_HOST:-}" = "auto" ]; then
    IMGPIPE_CANONICAL_HOST=$(pick_own_address)
    export IMGPIPE_CANONICAL_HOST
    log "canonical address $IMGPIPE_CANONICAL_HOST"
  fi
  if [ "${IMGPIPE_SEED_RESOLVABLE_ONLY:-0}" = "1" ] && [ -n "${IMGPIPE_SEED_NODES:-}" ]; then
    kept=""
    for seed in ${IMGPIPE_SEED_NODES//,/ }; do
      h=${seed%:*}
      if [ "$h" = "${IMGPIPE_CANONICAL_HOST:-}" ] || getent ahostsv4 "$h" >/dev/null 2>&1; then
        kept="${kept:+$kept,}$seed"
      fi
    done
    export IMGPIPE_SEED_NODES=$kept
    log "seed nodes $IMGPIPE_SEED_NODES"
  fi
  if [ -n "${IMGPIPE_SEED_DNS:-}" ]; then
    self=${IMGPIPE_CANONICAL_HOST:-$(pick_own_address)}
    wait_s=${IMGPIPE_SEED_WAIT:-180}
    deadline=$((SECONDS + wait_s))
    while :; do
      others=$(resolve_names "$IMGPIPE_SEED_DNS" | grep -vxF -- "$self" || true)
      if [ -n "$others" ] || [ "${IMGPIPE_SEED_BOOTSTRAP:-0}" = "1" ]; then break; fi
      if [ "$SECONDS" -ge "$deadline" ]; then
        log "no seed node found through $IMGPIPE_SEED_DNS in ${wait_s}s; exiting so that the orchestrator restarts the task"
        exit 1
      fi
      sleep 2
    done
    seeds=""
    if [ "${IMGPIPE_SEED_BOOTSTRAP:-0}" = "1" ]; then seeds="$self:$cluster_port"; fi
    for ip in $others; do seeds="${seeds:+$seeds,}$ip:$cluster_port"; done
    export IMGPIPE_SEED_NODES=$seeds
    log "seed nodes $IMGPIPE_SEED_NODES"
  fi
fi

# An empty variable means "not set" (compose files pass optional ones through as empty strings).
for v in IMGPIPE_CONFIG IMGPIPE_ROLES IMGPIPE_HOST IMGPIPE_CANONICAL_HOST IMGPIPE_SEED_NODES; do
  if [ -z "${!v:-}" ]; then unset "$v"; fi
done

exec "$home/imgpipe" "$@"
