#!/usr/bin/env bash
# Installs what vmatte builds and runs with on Debian bookworm (run as root, or it uses sudo).
set -euo pipefail
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
  pkg-config libavformat-dev libavcodec-dev libswscale-dev libswresample-dev libavutil-dev \
  libopenblas-dev libdnnl-dev ffmpeg >/dev/null
