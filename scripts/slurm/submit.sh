#!/usr/bin/env bash
# Render a clip with vmatte on a Slurm cluster: one array task per chunk of frames, then a
# dependent job that joins the chunks (docs/long-jobs.md, "Slurm").
#
#   scripts/slurm/submit.sh INPUT OUTPUT.mov [CHUNK] [VMATTE_OPTION...]
#
#   INPUT          the clip (any path every node can read; made absolute here)
#   OUTPUT.mov     the joined result; the chunks' extension is taken from it
#   CHUNK          frames per array task (default 50); the last task takes the rest
#   VMATTE_OPTION  passed to every chunk unchanged, e.g. --trimaps keys/ --alpha-only
#
# Environment:
#   VMATTE         the vmatte binary, as the nodes see it (default: .build/release/vmatte of
#                  this repository)
#   OUTDIR         where chunks and logs go (default: OUTPUT's folder/OUTPUT-name.chunks)
#   CPUS_PER_TASK  CPUs per chunk: sbatch --cpus-per-task and vmatte --threads (default 1)
#   SBATCH_OPTS    extra sbatch options for both jobs, e.g. "--partition=cpu --time=2:00:00"
#   FRAMES         frame count, if it should not be read with ffprobe
#
# Prints the array job's and the join job's ids, and a last line for scripts:
#   ARRAY_JOB=<id> JOIN_JOB=<id> CHUNKS=<n> OUTDIR=<dir>
# Chunk i is OUTDIR/chunk-%04d.mov with frames i*CHUNK .. min((i+1)*CHUNK, FRAMES)-1; its log
# is OUTDIR/logs/chunk-%04d.log. The join job runs only if every chunk succeeded
# (afterok) and is cancelled by Slurm otherwise; rerun a failed chunk with
#   sbatch --array=<i> OUTDIR/chunks.sbatch   and then   sbatch OUTDIR/join.sbatch
# All paths must be on storage every node sees.
set -euo pipefail

usage() { sed -n '2,28p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
die() { echo "submit.sh: $*" >&2; exit 2; }

(($# >= 2)) || usage
case $1 in -h | --help) usage ;; esac

abspath() { # no realpath -m needed: the folder must exist
  local d b
  d=$(cd "$(dirname "$1")" && pwd) || die "no folder for $1"
  b=$(basename "$1")
  printf '%s/%s\n' "$d" "$b"
}

INPUT=$(abspath "$1")
[[ -f $INPUT ]] || die "no such input: $1"
OUTPUT_ARG=$2
mkdir -p "$(dirname "$OUTPUT_ARG")"
OUTPUT=$(abspath "$OUTPUT_ARG")
shift 2
CHUNK=50
if (($#)) && [[ $1 =~ ^[0-9]+$ ]]; then CHUNK=$1; shift; fi
((CHUNK > 0)) || die "CHUNK must be a positive number of frames"
VMATTE_OPTS=("$@")
for o in "${VMATTE_OPTS[@]}"; do
  case $o in
    --frames | --frames=* | -o | --output | --output=*) die "$o is set per chunk by this script" ;;
  esac
done

EXT=${OUTPUT##*.}
[[ $EXT != "$OUTPUT" && $EXT != */* ]] || die "OUTPUT needs a file extension (.mov, .mkv, .webm, .mp4)"

REPO=$(cd "$(dirname "$0")/../.." && pwd)
VMATTE=${VMATTE:-$REPO/.build/release/vmatte}
[[ $VMATTE == /* ]] || VMATTE=$(abspath "$VMATTE")
[[ -x $VMATTE ]] || die "vmatte binary not found or not executable: $VMATTE (build it: swift build -c release --product vmatte, or set VMATTE)"

CPUS_PER_TASK=${CPUS_PER_TASK:-1}
OUT_NAME=$(basename "$OUTPUT")
OUTDIR=${OUTDIR:-$(dirname "$OUTPUT")/${OUT_NAME%.*}.chunks}
mkdir -p "$OUTDIR/logs"
OUTDIR=$(cd "$OUTDIR" && pwd)

# Frame count: packets of the first video stream (one per frame), or vmatte's decoder.
if [[ -z ${FRAMES:-} ]]; then
  if command -v ffprobe >/dev/null; then
    FRAMES=$(ffprobe -v error -select_streams v:0 -count_packets \
      -show_entries stream=nb_read_packets -of csv=p=0 "$INPUT" | head -n1)
  else
    FRAMES=$("$VMATTE" bench decode "$INPUT" | sed -n 's/.*"frames":\([0-9]*\).*/\1/p')
  fi
fi
[[ $FRAMES =~ ^[0-9]+$ ]] && ((FRAMES > 0)) || die "could not read the frame count of $INPUT (got '${FRAMES}'); set FRAMES"
N=$(((FRAMES + CHUNK - 1) / CHUNK))

# vmatte's threads follow the allocation unless the options name them.
THREADS=()
[[ " ${VMATTE_OPTS[*]-} " == *" --threads"* ]] || THREADS=(--threads "$CPUS_PER_TASK")

q() { printf '%q ' "$@"; }

cat >"$OUTDIR/chunks.sbatch" <<EOF
#!/usr/bin/env bash
#SBATCH --job-name=vmatte-chunks
#SBATCH --cpus-per-task=$CPUS_PER_TASK
#SBATCH --output=$OUTDIR/logs/chunk-%4a.log
# vmatte chunk i of $N: frames i*$CHUNK .. min((i+1)*$CHUNK, $FRAMES)-1 of $INPUT
set -euo pipefail
i=\${SLURM_ARRAY_TASK_ID:?run as an array task: sbatch --array=0-$((N - 1)) \$0}
a=\$((i * $CHUNK))
b=\$((a + $CHUNK - 1))
((b < $FRAMES)) || b=$(($FRAMES - 1))
out=$(printf %q "$OUTDIR")/chunk-\$(printf %04d "\$i").$EXT
echo "chunk \$i: frames \$a-\$b -> \$out on \$(hostname)"
exec $(q "$VMATTE" "$INPUT" "${VMATTE_OPTS[@]}" "${THREADS[@]}")--frames "\$a-\$b" -o "\$out" --overwrite
EOF

CHUNK_FILES=()
for ((i = 0; i < N; i++)); do CHUNK_FILES+=("$(printf '%s/chunk-%04d.%s' "$OUTDIR" "$i" "$EXT")"); done
cat >"$OUTDIR/join.sbatch" <<EOF
#!/usr/bin/env bash
#SBATCH --job-name=vmatte-join
#SBATCH --cpus-per-task=1
#SBATCH --output=$OUTDIR/logs/join.log
# Join the $N chunks (chunk-0000 .. chunk-$(printf %04d $((N - 1)))) of $INPUT into $OUTPUT.
set -euo pipefail
EOF
if ((N > 1)); then
  echo "exec $(q "$VMATTE") join $(q "${CHUNK_FILES[@]}")-o $(q "$OUTPUT") --overwrite" >>"$OUTDIR/join.sbatch"
else # one chunk: nothing to join
  echo "exec mv -f $(q "${CHUNK_FILES[0]}" "$OUTPUT")" >>"$OUTDIR/join.sbatch"
fi

# shellcheck disable=SC2086 # SBATCH_OPTS is a list of options
ARRAY_JOB=$(sbatch --parsable ${SBATCH_OPTS:-} --array="0-$((N - 1))" "$OUTDIR/chunks.sbatch")
ARRAY_JOB=${ARRAY_JOB%%;*}
# shellcheck disable=SC2086
JOIN_JOB=$(sbatch --parsable ${SBATCH_OPTS:-} --dependency="afterok:$ARRAY_JOB" --kill-on-invalid-dep=yes "$OUTDIR/join.sbatch")
JOIN_JOB=${JOIN_JOB%%;*}

echo "input:     $INPUT ($FRAMES frames, $N chunks of up to $CHUNK)"
echo "array job: $ARRAY_JOB (tasks 0-$((N - 1)), chunks in $OUTDIR, logs in $OUTDIR/logs)"
echo "join job:  $JOIN_JOB (afterok:$ARRAY_JOB) -> $OUTPUT"
echo "ARRAY_JOB=$ARRAY_JOB JOIN_JOB=$JOIN_JOB CHUNKS=$N OUTDIR=$OUTDIR"
