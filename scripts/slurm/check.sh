#!/usr/bin/env bash
# End-to-end check of the Slurm scripts on this machine (root, Debian; takes a few minutes):
#   1. builds vmatte in release if the binary is missing or older than the sources;
#   2. brings up a one-node Slurm with scripts/slurm/local-cluster.sh;
#   3. submits Samples/clip.mp4 (100 frames) in 3 chunks of 34 frames (0-33, 34-67, 68-99)
#      with --trimaps Samples/trimaps through scripts/slurm/submit.sh, into .build-bench/slurm/;
#   4. waits for the array job and the join job (at most CHECK_TIMEOUT_S, default 900 s);
#   5. runs the same matte in one process (vmatte Samples/clip.mp4 --trimaps Samples/trimaps
#      -o single.mov) and checks that the joined file equals it frame for frame (framemd5 of the
#      decoded video: same number of frames, same hashes), and that the decoded audio is equal;
#   6. stops the cluster (KEEP_CLUSTER=1 leaves it running).
# Prints PASS or FAIL as its last line; exit status 0 only on PASS.
# Not part of the test suite or .ci/run: it needs root and daemons.
set -euo pipefail

REPO=$(cd "$(dirname "$0")/../.." && pwd)
cd "$REPO"
VMATTE=${VMATTE:-$REPO/.build/release/vmatte}
WORK=$REPO/.build-bench/slurm
TIMEOUT_S=${CHECK_TIMEOUT_S:-900}
CLIP=$REPO/Samples/clip.mp4
KEYS=$REPO/Samples/trimaps

log() { echo "[check $(date +%H:%M:%S)] $*"; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", (b - a) / 1e9 }'; }
fail() { log "$*"; echo "FAIL"; exit 1; }

# 1. Build if needed.
if [[ ! -x $VMATTE ]] || [[ -n $(find Sources Package.swift -newer "$VMATTE" -print -quit 2>/dev/null) ]]; then
  log "building vmatte (release)"
  swift build -c release --product vmatte
fi
[[ -x $VMATTE ]] || fail "no vmatte binary at $VMATTE"
export VMATTE

# 2. Cluster.
if [[ ${KEEP_CLUSTER:-0} != 1 ]]; then
  trap 'bash "$REPO/scripts/slurm/local-cluster.sh" stop || true' EXIT
fi
bash scripts/slurm/local-cluster.sh start
sinfo

# 3. Submit.
rm -rf "$WORK"
mkdir -p "$WORK"
t0=$(date +%s%N)
SUBMIT_OUT=$(OUTDIR=$WORK/chunks bash scripts/slurm/submit.sh "$CLIP" "$WORK/joined.mov" 34 --trimaps "$KEYS")
echo "$SUBMIT_OUT"
eval "$(tail -n1 <<<"$SUBMIT_OUT")" # ARRAY_JOB= JOIN_JOB= CHUNKS= OUTDIR=
[[ $CHUNKS == 3 ]] || fail "expected 3 chunks, submit.sh made $CHUNKS"

# 4. Wait: until neither job is in the queue any more, then read their final states.
job_state() { scontrol show job -o "$1" 2>/dev/null | grep -o 'JobState=[A-Z_]*' | cut -d= -f2 | sort | uniq -c | xargs; }
while squeue -h -j "$ARRAY_JOB,$JOIN_JOB" 2>/dev/null | grep -q .; do
  if ((($(date +%s%N) - t0) / 1000000000 > TIMEOUT_S)); then
    scancel "$ARRAY_JOB" "$JOIN_JOB" || true
    fail "jobs still queued or running after ${TIMEOUT_S}s; cancelled"
  fi
  sleep 2
done
t1=$(date +%s%N)
farm_s=$(secs "$t0" "$t1")
log "array job $ARRAY_JOB: $(job_state "$ARRAY_JOB")"
scontrol show job -o "$ARRAY_JOB" | sed -n 's/.*ArrayTaskId=\([0-9]*\) .*JobState=\([A-Z]*\) .*RunTime=\([0-9:-]*\) .*/  task \1: \2, run time \3/p'
log "join job $JOIN_JOB: $(job_state "$JOIN_JOB")"
log "submit to joined output: ${farm_s} s (3 chunks on a $(nproc)-CPU node, 1 CPU each)"
for f in "$OUTDIR"/logs/*.log; do
  echo "--- $(basename "$f")"
  tail -n 3 "$f"
done
[[ -f $WORK/joined.mov ]] || fail "no joined output $WORK/joined.mov (see $OUTDIR/logs/)"
[[ $(job_state "$ARRAY_JOB") == "3 COMPLETED" ]] || fail "array tasks did not all complete"

# 5. One process, same options.
t0=$(date +%s%N)
"$VMATTE" "$CLIP" --trimaps "$KEYS" -o "$WORK/single.mov" --overwrite --quiet
t1=$(date +%s%N)
log "single process (--threads 0 = all $(nproc) cores): $(secs "$t0" "$t1") s"

hashes() { ffmpeg -v error -i "$1" -map "0:$2" -f framemd5 - | grep -v '^#' | awk -F', *' '{ print $6 }'; }
hashes "$WORK/joined.mov" v >"$WORK/joined.video.md5"
hashes "$WORK/single.mov" v >"$WORK/single.video.md5"
nj=$(wc -l <"$WORK/joined.video.md5")
ns=$(wc -l <"$WORK/single.video.md5")
log "video frames: joined $nj, single $ns"
status=0
if [[ $nj != "$ns" || $nj != 100 ]]; then
  log "frame counts differ (expected 100)"
  status=1
elif ! cmp -s "$WORK/joined.video.md5" "$WORK/single.video.md5"; then
  log "frames differ: $(paste -d' ' "$WORK/joined.video.md5" "$WORK/single.video.md5" | awk '$1 != $2' | wc -l) of $nj (first at frame $(paste -d' ' "$WORK/joined.video.md5" "$WORK/single.video.md5" | awk '$1 != $2 { print NR - 1; exit }'))"
  status=1
else
  log "video: all $nj frames identical (framemd5)"
fi
hashes "$WORK/joined.mov" a >"$WORK/joined.audio.md5" || true
hashes "$WORK/single.mov" a >"$WORK/single.audio.md5" || true
if cmp -s "$WORK/joined.audio.md5" "$WORK/single.audio.md5"; then
  log "audio: $(wc -l <"$WORK/joined.audio.md5") decoded audio frames identical"
else
  log "audio: decoded audio differs ($(wc -l <"$WORK/joined.audio.md5") vs $(wc -l <"$WORK/single.audio.md5") frames)"
  status=1
fi

((status == 0)) || fail "joined output differs from the single run (hashes in $WORK/)"
echo "PASS"
