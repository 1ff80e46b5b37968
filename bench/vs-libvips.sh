#!/usr/bin/env bash
# The photo workload through imgpipe (one all-roles node, end to end through XML-RPC) and the same
# operations through libvips's `vips` command line, on this machine in this run; prints both
# throughputs and their ratio.
#
#   bench/vs-libvips.sh [PHOTO_DIR]     (default: 8 generated 2560x1600 photo-like JPEGs)
#   env: CONCURRENCY (4), REQUESTS (48), WARMUP (40 unmeasured imgpipe requests first), IMGPIPE_BENCH_HOST (127.0.0.90), IMGPIPE_BENCH_HEAP (512m)
#
# libvips per image, one process per operation, intermediates in vips's own format on tmpfs:
#   thumbnail to fit 1280x720 (shrink-on-load) -> gaussblur sigma 20 (imgpipe's BLUR at intensity 1)
#   -> 3x3 convolution equal to Pillow's Sharpness 3.0 (imgpipe's SHARPEN) -> avg, then linear 3x
#   around the mean (CONTRAST 3.0) -> composite of the watermark text (rendered once per run, so libvips
#   is spared that) at bottom-right -> JPEG Q 85.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
command -v vips >/dev/null || { echo "vips not found: apt-get install -y libvips-tools" >&2; exit 1; }

concurrency=${CONCURRENCY:-4}
requests=${REQUESTS:-48}
work=$(mktemp -d "${TMPDIR:-/tmp}/imgpipe-vs-vips.XXXXXX")
shm=$(mktemp -d /dev/shm/imgpipe-vips.XXXXXX 2>/dev/null || mktemp -d "$work/shm.XXXXXX")
trap 'stop_nodes; rm -rf "$work" "$shm"' EXIT

cp_=$(imgpipe_classpath)
photos=${1:-}
if [ -z "$photos" ]; then
  photos="$work/photos"
  java -cp "$cp_" org.imgpipe.bench.PhotoImages "$photos" 8
fi
mapfile -t inputs < <(find "$photos" -maxdepth 1 -type f \( -iname '*.jpg' -o -iname '*.jpeg' \) | sort)
[ "${#inputs[@]}" -gt 0 ] || { echo "no JPEGs in $photos" >&2; exit 1; }

# --- libvips setup, untimed: the watermark overlay and each input's watermark position.
wm_text=${WATERMARK_TEXT:-"(c) imgpipe photo"}
vips text "$shm/wm_mask.v" "$wm_text" --dpi 72 --font "sans 36"
vips linear "$shm/wm_mask.v" "$shm/wm_alpha.v" 0.5 0 --uchar        # opacity 0.5
vips linear "$shm/wm_mask.v" "$shm/wm_white.v" 0 255 --uchar
vips bandjoin "$shm/wm_white.v $shm/wm_white.v $shm/wm_white.v $shm/wm_alpha.v" "$shm/wm_rgba.v"
vips copy "$shm/wm_rgba.v" "$shm/wm.v" --interpretation srgb
wm_w=$(vipsheader -f width "$shm/wm.v")
wm_h=$(vipsheader -f height "$shm/wm.v")
printf '3 3 13 0\n-2 -2 -2\n-2 29 -2\n-2 -2 -2\n' >"$shm/sharpen.mat"
: >"$shm/plan"
for f in "${inputs[@]}"; do
  vips thumbnail "$f" "$shm/probe.v" 1280 --height 720
  w=$(vipsheader -f width "$shm/probe.v")
  h=$(vipsheader -f height "$shm/probe.v")
  echo "$f $((w - wm_w - 10)) $((h - wm_h - 10))" >>"$shm/plan"
done
rm -f "$shm/probe.v"

vips_one() { # JOB_INDEX: one image through the chain, in its own scratch folder
  local i=$1 n line f x y d mean
  n=$(wc -l <"$shm/plan")
  line=$(sed -n "$(( (i - 1) % n + 1 ))p" "$shm/plan")
  read -r f x y <<<"$line"
  d="$shm/job$i"
  mkdir -p "$d"
  vips thumbnail "$f" "$d/a.v" 1280 --height 720
  vips gaussblur "$d/a.v" "$d/b.v" 20
  vips conv "$d/b.v" "$d/c.v" "$shm/sharpen.mat" --precision integer
  mean=$(vips avg "$d/c.v")
  # (options before "--": a negative offset would otherwise parse as an option)
  vips linear --uchar -- "$d/c.v" "$d/d.v" 3 "$(awk -v m="$mean" 'BEGIN { printf "%.0f", -2 * int(m + 0.5) }')"
  vips composite2 "$d/d.v" "$shm/wm.v" "$d/out.jpg[Q=85]" over --x "$x" --y "$y"
  stat -c %s "$d/out.jpg" >"$d/size"
  rm -f "$d"/*.v
}
export -f vips_one
export shm

vips_run() { # prints images/s
  rm -rf "$shm"/job*
  local t0 t1
  t0=$(date +%s.%N)
  seq 1 "$requests" | xargs -P "$concurrency" -I{} bash -c 'vips_one {}'
  t1=$(date +%s.%N)
  local ok
  ok=$(find "$shm" -name out.jpg | wc -l)
  [ "$ok" -eq "$requests" ] || { echo "libvips: only $ok of $requests images made" >&2; exit 1; }
  awk -v n="$requests" -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", n / (b - a) }'
}

echo "== libvips $(vips --version), $requests images, $concurrency at a time (load $(loadavg))"
vips_run >/dev/null  # warm the page cache and the binaries
v1=$(vips_run)
echo "libvips run 1: $v1 images/s (load $(loadavg))"

echo "== imgpipe: one all-roles node on $bench_host, heap $bench_heap"
start_node node "$bench_host" 25590
out=$("$repo/imgpipe" bench --workload photo --input "$photos" --concurrency "$concurrency" \
  --requests "$requests" --warmup "${WARMUP:-40}" --orchestrator "$bench_host:50055" --report "$work/photo.md" --node-pid "$node_pid")
echo "$out" | sed -n '/^Workload/,$p'
i=$(echo "$out" | sed -n "s/^  C=$concurrency: \([0-9.]*\) images\/s.*/\1/p")
stop_nodes

v2=$(vips_run)
echo "libvips run 2: $v2 images/s (load $(loadavg))"
v=$(awk -v a="$v1" -v b="$v2" 'BEGIN { printf "%.2f", (a + b) / 2 }')
echo
echo "photo workload at concurrency $concurrency: imgpipe $i images/s, libvips $v images/s (mean of $v1 and $v2)"
awk -v i="$i" -v v="$v" 'BEGIN { printf "ratio imgpipe / libvips = %.2f\n", i / v }'
