#!/usr/bin/env bash
# Video I/O benchmark: vmatte vs the ffmpeg CLI doing the same conversion, at 720p and 1080p.
# Decode-only (to float RGB planes; ffmpeg converts to gbrpf32le and discards) and
# decode+encode for each output format. ffmpeg does the same conversion vmatte does: through
# float RGB planes (gbrpf32le) with the same swscale flags. Writes a Markdown table to
# stdout and to Benchmarks/io/RESULTS.md. Usage: bash Benchmarks/io/run.sh [frames]
set -euo pipefail
cd "$(dirname "$0")/../.."
frames=${1:-60}
work=.build-bench/io
mkdir -p "$work"
swift build -c release --product vmatte >/dev/null
vmatte=.build/release/vmatte

seconds() { local s e; s=$(date +%s.%N); "$@" >/dev/null 2>&1; e=$(date +%s.%N); echo "$e - $s" | bc -l; }
fps() { echo "scale=1; $frames / $1" | bc -l; }
sws="-sws_flags bicubic+accurate_rnd+full_chroma_int+full_chroma_inp"

{
echo "| size | job | vmatte fps | ffmpeg fps | vmatte/ffmpeg |"
echo "|---|---|---:|---:|---:|"
for size in 1280x720 1920x1080; do
  clip="$work/source-$size.mp4"
  [ -f "$clip" ] || ffmpeg -v error -y -f lavfi -i "testsrc2=size=$size:rate=25,noise=alls=12:allf=t" \
      -frames:v "$frames" -c:v libx264 -preset fast -crf 18 -pix_fmt yuv420p "$clip"
  v=$(seconds $vmatte bench decode "$clip")
  f=$(seconds ffmpeg -v error $sws -i "$clip" -vf format=gbrpf32le -f null -)
  echo "| $size | decode → float RGB | $(fps "$v") | $(fps "$f") | $(echo "scale=2; $f / $v" | bc -l) |"
  for job in mov webm mp4 mkv png; do
    rm -rf "$work/out.$job" "$work/ff.$job" "$work/pngs-v" "$work/pngs-f"
    case $job in
      mov)  v=$(seconds $vmatte transcode "$clip" -o "$work/out.mov" -q)
            f=$(seconds ffmpeg -v error -i "$clip" $sws -vf format=gbrpf32le,format=yuva444p10le -c:v prores_ks -profile:v 4 -c:a copy "$work/ff.mov") ;;
      webm) v=$(seconds $vmatte transcode "$clip" -o "$work/out.webm" -q)
            f=$(seconds ffmpeg -v error -i "$clip" $sws -vf format=gbrpf32le,format=yuva420p -c:v libvpx-vp9 -crf 20 -b:v 0 -row-mt 1 -deadline good -cpu-used 4 "$work/ff.webm") ;;
      mp4)  v=$(seconds $vmatte transcode "$clip" -o "$work/out.mp4" -q)
            f=$(seconds ffmpeg -v error -i "$clip" $sws -vf format=gbrpf32le,format=yuv420p -c:v libx264 -crf 18 -preset medium -pix_fmt yuv420p "$work/ff.mp4") ;;
      mkv)  v=$(seconds $vmatte transcode "$clip" -o "$work/out.mkv" -q)
            f=$(seconds ffmpeg -v error -i "$clip" $sws -vf format=gbrpf32le,format=bgra -c:v ffv1 -level 3 -slicecrc 1 "$work/ff.mkv") ;;
      png)  v=$(seconds $vmatte transcode "$clip" -o "$work/pngs-v" -q)
            mkdir -p "$work/pngs-f"
            f=$(seconds ffmpeg -v error -i "$clip" $sws -vf format=gbrpf32le,format=rgba "$work/pngs-f/%06d.png") ;;
    esac
    echo "| $size | decode + encode $job | $(fps "$v") | $(fps "$f") | $(echo "scale=2; $f / $v" | bc -l) |"
  done
done
echo
echo "$frames frames per clip; $(nproc) cores; $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); $(date -u +%Y-%m-%d)."
} | tee Benchmarks/io/RESULTS.md

# Memory over a long input: 10,000 small frames decoded, then transcoded; RSS must stay flat.
long="$work/long-10000.mp4"
[ -f "$long" ] || ffmpeg -v error -y -f lavfi -i "testsrc2=size=320x180:rate=25" -frames:v 10000 -c:v libx264 -preset ultrafast -pix_fmt yuv420p "$long"
{
echo
echo "Long input (10,000 frames, 320x180):"
echo '```'
$vmatte bench decode "$long"
$vmatte transcode "$long" -o "$work/long.mkv" --overwrite -q --json | grep -E '"(frames|framesPerSecond|peakResidentMiB)"'
echo '```'
# Video outputs are written in segments (for --resume) and joined at the end: the cost of
# that against one segment, on the long input (100 segments) and at 1080p (6 segments of 10).
one=$($vmatte transcode "$long" -o "$work/long-one.mkv" --segment-frames 1000000 --overwrite -q --json | grep -E '"framesPerSecond"' | tr -dc '0-9.')
echo
echo "Segmented video output (resumable) vs one segment, transcode fps:"
echo
echo "| input | segments | fps | one segment fps |"
echo "|---|---|---:|---:|"
seg=$($vmatte transcode "$long" -o "$work/long.mkv" --overwrite -q --json | grep -E '"framesPerSecond"' | tr -dc '0-9.')
echo "| 10,000 frames 320x180 → mkv | 100 of 100 frames | ${seg%.*} | ${one%.*} |"
clip="$work/source-1920x1080.mp4"
s1=$(seconds $vmatte transcode "$clip" -o "$work/seg1.mov" --segment-frames 1000 --overwrite -q)
s6=$(seconds $vmatte transcode "$clip" -o "$work/seg6.mov" --segment-frames 10 --overwrite -q)
echo "| $frames frames 1080p → mov | $(( (frames + 9) / 10 )) of 10 frames | $(fps "$s6") | $(fps "$s1") |"
} | tee -a Benchmarks/io/RESULTS.md
