#!/usr/bin/env bash
# Matting on a busy machine: seconds to matte one image with 0, 1, … busy loops (`yes`) beside
# vmatte, on all cores' worth of OpenBLAS threads (--threads = cores) and on 1, and with the
# default (the threads fit the idle cores). Run it on an otherwise quiet machine.
# Usage: bash Benchmarks/engine/busy.sh [IMAGE TRIMAP]   (default: the bundled sample's frame 50)
# Then the same for a long job (the sample clip looped) while other work starts and ends.
set -euo pipefail
cd "$(dirname "$0")/../.."
swift build -c release --product vmatte >/dev/null
vmatte=.build/release/vmatte
work=.build-bench/busy
rm -rf "$work" && mkdir -p "$work"
cores=$(nproc)
if [ $# -ge 2 ]; then image=$1 trimap=$2; else
  ffmpeg -v error -i Samples/clip.mp4 -vf "select=eq(n\,50)" -frames:v 1 "$work/frame.png"
  image=$work/frame.png trimap=Samples/trimaps/000050.png
fi
seconds() {  # extra vmatte options -> best of 3 wall-clock seconds
  local best=
  for _ in 1 2 3; do
    local start end
    start=$(date +%s.%N)
    "$vmatte" "$image" --trimap "$trimap" -o "$work/out/" --alpha-only --overwrite -q "$@"
    end=$(date +%s.%N)
    best=$(echo "$end - $start" | bc | awk -v b="$best" '{ print (b == "" || $1 < b) ? $1 : b }')
  done
  printf '%.2f' "$best"
}
core=$("$vmatte" "$image" --trimap "$trimap" -o "$work/out/" --alpha-only --overwrite -q --json |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["openblasCore"])')
echo "vmatte on $image; $cores cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)); OpenBLAS $core"
echo
echo "| busy loops | --threads $cores | --threads 1 | default |"
echo "|---:|---:|---:|---:|"
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT
for busy in $(seq 0 "$cores"); do
  if [ "$busy" -gt 0 ]; then yes > /dev/null & pids+=($!); sleep 1; fi
  echo "| $busy | $(seconds --threads "$cores") | $(seconds --threads 1) | $(seconds) |"
done

kill "${pids[@]}" 2>/dev/null || true
pids=()

# Other work that starts and ends during a long job: the fit looks again every few seconds.
clip=$work/looped.mp4
ffmpeg -v error -stream_loop 2 -i Samples/clip.mp4 -an -c:v libx264 -crf 16 "$clip"
frames=$(ffprobe -v error -count_frames -select_streams v -show_entries stream=nb_read_frames -of csv=p=0 "$clip")
from=10 until=40
echo
echo "Other work during a job: Samples/clip.mp4 looped to $frames frames, $cores busy loops from ${from} s to ${until} s"
echo
echo "| busy loops at | threads | seconds | fps | what vmatte noted |"
echo "|---|---|---:|---:|---|"
for niceness in 0 5; do
for mode in "--threads $cores" "default"; do
  args=(); [ "$mode" = default ] || args=($mode)
  ( trap 'kill "${loops[@]}" 2>/dev/null; exit' TERM; sleep "$from"; loops=()
    for _ in $(seq "$cores"); do nice -n "$niceness" yes > /dev/null & loops+=($!); done
    sleep $((until - from)); kill "${loops[@]}" ) &
  pids+=($!)
  report=$("$vmatte" "$clip" --trimaps Samples/trimaps -o "$work/job.mov" --alpha-only --overwrite -q --json "${args[@]}")
  wait "${pids[-1]}" 2>/dev/null || true
  echo "$report" | python3 -c 'import json, sys; r = json.load(sys.stdin)
notes = "; ".join(n for n in r["notes"] if "threads" in n) or "-"
seconds, fps = r["seconds"], r["framesPerSecond"]
print(f"| nice {sys.argv[2]} | {sys.argv[1]} | {seconds:.1f} | {fps:.2f} | {notes} |")' "$mode" "$niceness"
done
done
