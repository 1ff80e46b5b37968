#!/usr/bin/env bash
# Builds the imgpipe image: first the project with Maven (when the jars are missing or older than a
# source, POM or conf file), then the image from docker/Dockerfile with the repository root as context.
# usage: docker/build-image.sh [--base IMAGE] [--tag TAG] [--rebuild]
#   --base IMAGE  the Java 17 runtime image to build on (default eclipse-temurin:17-jre; on machines
#                 without a registry, a local one such as local/jre17:bookworm)
#   --tag TAG     the image's tag (default imgpipe:latest)
#   --rebuild     run Maven even if the jars look current
set -euo pipefail

root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
base=""
tag=imgpipe:latest
rebuild=0

usage() { sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; }
while [ $# -gt 0 ]; do
  case $1 in
    --base) base=${2:?--base needs an image}; shift 2 ;;
    --base=*) base=${1#--base=}; shift ;;
    --tag) tag=${2:?--tag needs a tag}; shift 2 ;;
    --tag=*) tag=${1#--tag=}; shift ;;
    --rebuild) rebuild=1; shift ;;
    -h | --help) usage; exit 0 ;;
    *) echo "build-image.sh: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
  esac
done

command -v docker >/dev/null || { echo "build-image.sh: docker is not installed" >&2; exit 1; }
docker info >/dev/null 2>&1 || { echo "build-image.sh: the Docker daemon is not running (or not reachable)" >&2; exit 1; }

target="$root/client/target"
stamp="$target/lib/.imgpipe-built"
jar() { ls "$target"/client-*.jar 2>/dev/null | grep -v -e '-tests.jar' -e '-sources.jar' | head -1; }

stale() {
  [ "$rebuild" = 1 ] && return 0
  [ -n "$(jar)" ] && [ -f "$stamp" ] || return 0
  [ -n "$(find "$root/pom.xml" "$root"/*/pom.xml "$root"/*/src/main "$root/conf" -newer "$stamp" -type f -print -quit 2>/dev/null)" ]
}

if stale; then
  command -v mvn >/dev/null || { echo "build-image.sh: Maven (mvn) is needed to build the jars" >&2; exit 1; }
  echo "build-image.sh: mvn -B -q -DskipTests package" >&2
  (cd "$root" && mvn -B -q -DskipTests package)
  touch "$stamp"
fi
[ -n "$(jar)" ] || { echo "build-image.sh: no client jar under $target after the build" >&2; exit 1; }

args=(-f "$root/docker/Dockerfile" -t "$tag")
[ -n "$base" ] && args+=(--build-arg "BASE_IMAGE=$base")
echo "build-image.sh: docker build ${args[*]} $root" >&2
docker build "${args[@]}" "$root"
echo "built $tag${base:+ on $base}"
