#!/usr/bin/env bash
# Green-screen keying: vmatte (--key green, the bundled model, estimated foreground, despill)
# against FFmpeg's chromakey + despill filters, on a synthetic shot with known truth: a moving
# testsrc2 foreground with a soft wavy edge over a noisy green screen. Scores the mattes against
# the true alpha (vmatte eval) and the composites over a new background against the true
# composite (PSNR, whole frame). Writes a Markdown table to stdout and Benchmarks/compose/RESULTS.md.
# Usage: bash Benchmarks/compose/run.sh [frames]
set -euo pipefail
cd "$(dirname "$0")/../.."
frames=${1:-25}
work=.build-bench/compose
rm -rf "$work" && mkdir -p "$work"
swift build -c release --product vmatte >/dev/null
vmatte=.build/release/vmatte
size=480x270
screen=0x1EB43C   # (30, 180, 60)

# Truth: foreground, alpha (12 px soft ramp around a wavy moving disc), new background.
ff() { ffmpeg -v error -y "$@"; }
# testsrc2 with its greens mixed away: a subject sharing the screen's colour is lost by any keyer.
ff -f lavfi -i "testsrc2=size=$size:rate=25,format=gbrp,colorchannelmixer=rr=0.6:rg=0.4:gr=0.3:gg=0.4" -frames:v "$frames" -c:v ffv1 -pix_fmt gbrp "$work/fg.mkv"
ff -f lavfi -i "nullsrc=size=$size:rate=25,format=gray" -frames:v "$frames" \
   -vf "geq=lum='clip(128+255*(95+10*sin(9*atan2(Y-H/2,X-W/2-60*sin(T)))-hypot(X-W/2-60*sin(T),Y-H/2))/12,0,255)'" \
   -c:v ffv1 -pix_fmt gray "$work/alpha.mkv"
ff -f lavfi -i "nullsrc=size=$size:rate=25,format=gbrp" -frames:v "$frames" \
   -vf "geq=r='80+120*X/W':g='50+40*Y/H':b='120-70*X/W'" -c:v ffv1 -pix_fmt gbrp "$work/bg.mkv"
ff -f lavfi -i "color=c=$screen:size=$size:rate=25,format=gbrp,noise=alls=8:allf=t" -frames:v "$frames" -c:v ffv1 -pix_fmt gbrp "$work/screen.mkv"
composite() { # foreground alpha background output
  ff -i "$1" -i "$2" -i "$3" -filter_complex "[0][1]alphamerge[f];[2][f]overlay=format=gbrp" -c:v ffv1 -pix_fmt gbrp "$4"; }
composite "$work/fg.mkv" "$work/alpha.mkv" "$work/screen.mkv" "$work/shot.mkv"
composite "$work/fg.mkv" "$work/alpha.mkv" "$work/bg.mkv" "$work/truth.mkv"

psnr() { ffmpeg -v info -i "$1" -i "$work/truth.mkv" -lavfi "[0]format=gbrp[a];[1]format=gbrp[b];[a][b]psnr" -f null - 2>&1 \
         | sed -n 's/.*average:\([0-9.inf]*\).*/\1/p' | tail -1 | xargs printf '%.2f'; }
score() { $vmatte eval --pred "$1" --gt "$work/alpha.mkv" --json | python3 -c 'import json,sys; m=json.load(sys.stdin)["mean"]; print("%.1f | %.4f" % (m["sad"], m["mse"]))'; }
seconds() { local s e; s=$(date +%s.%N); "$@" >/dev/null 2>&1; e=$(date +%s.%N); echo "scale=2; ($e - $s) / $frames" | bc -l; }

# FFmpeg: chromakey (similarity and blend tuned by eye for this screen), despill, overlay.
key="chromakey=$screen:similarity=0.12:blend=0.08"
t_ff=$(seconds ff -i "$work/shot.mkv" -i "$work/bg.mkv" -filter_complex "[0]format=yuva444p,$key,despill=type=green[k];[1][k]overlay=format=gbrp" -c:v ffv1 -pix_fmt gbrp "$work/ffmpeg.mkv")
ff -i "$work/shot.mkv" -vf "format=yuva444p,$key,alphaextract" -c:v ffv1 -pix_fmt gray "$work/ffmpeg-alpha.mkv"

# vmatte: keyed trimaps, the bundled model, and the compositing variants.
$vmatte "$work/shot.mkv" --key green --alpha-only -o "$work/vmatte-alpha.mkv" -q
# Whole run per frame: decode, keying, the network, estimation, despill, composite, encode.
t_vm=$(seconds $vmatte "$work/shot.mkv" --key green --despill green --background "$work/bg.mkv" -o "$work/vmatte.mkv" -q)
$vmatte "$work/shot.mkv" --key green --background "$work/bg.mkv" -o "$work/vmatte-nodespill.mkv" -q
$vmatte "$work/shot.mkv" --key green --foreground source --background "$work/bg.mkv" -o "$work/vmatte-source.mkv" -q

{
echo "Synthetic $size green-screen shot, $frames frames ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores)."
echo
echo "| method | matte SAD/1000 | matte MSE | composite PSNR (dB) | s/frame |"
echo "|---|---:|---:|---:|---:|"
echo "| ffmpeg chromakey + despill | $(score "$work/ffmpeg-alpha.mkv") | $(psnr "$work/ffmpeg.mkv") | $t_ff |"
echo "| vmatte --key green, source foreground | $(score "$work/vmatte-alpha.mkv") | $(psnr "$work/vmatte-source.mkv") | |"
echo "| vmatte --key green, estimated foreground | $(score "$work/vmatte-alpha.mkv") | $(psnr "$work/vmatte-nodespill.mkv") | |"
echo "| vmatte --key green, estimated foreground + despill | $(score "$work/vmatte-alpha.mkv") | $(psnr "$work/vmatte.mkv") | $t_vm |"
} | tee Benchmarks/compose/RESULTS.md
