#!/usr/bin/env bash
# Installs vmatte: PREFIX/bin/vmatte and the bundled model in PREFIX/share/vmatte/.
# Usage: bash scripts/install.sh [--binary FILE] [PREFIX]   (PREFIX defaults to /usr/local)
# Builds the release binary first unless --binary names one already built. The installed
# vmatte finds its model beside itself (../share/vmatte/) from any working folder.
set -euo pipefail

usage() { echo "usage: bash scripts/install.sh [--binary FILE] [PREFIX]" >&2; exit 2; }

binary=""
prefix=""
while [ $# -gt 0 ]; do
  case "$1" in
    --binary) [ $# -ge 2 ] || usage; binary="$2"; shift 2 ;;
    -h|--help) usage ;;
    -*) echo "install.sh: unknown option '$1'" >&2; usage ;;
    *) [ -z "$prefix" ] || usage; prefix="$1"; shift ;;
  esac
done
prefix="${prefix:-/usr/local}"

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
model="$root/Models/vmatte-dim.safetensors"
[ -f "$model" ] || { echo "install.sh: the bundled model '$model' is missing" >&2; exit 1; }

if [ -z "$binary" ]; then
  (cd "$root" && swift build -c release --product vmatte)
  binary="$root/.build/release/vmatte"
fi
[ -x "$binary" ] || { echo "install.sh: '$binary' is not an executable" >&2; exit 1; }

SUDO=""
if ! mkdir -p "$prefix/bin" "$prefix/share/vmatte" 2>/dev/null || [ ! -w "$prefix/bin" ] || [ ! -w "$prefix/share/vmatte" ]; then
  [ "$(id -u)" -eq 0 ] && { echo "install.sh: cannot write under '$prefix'" >&2; exit 1; }
  SUDO="sudo"
  $SUDO mkdir -p "$prefix/bin" "$prefix/share/vmatte"
fi

# Copied under a temporary name and renamed, so that a failed copy leaves no half-written file.
install_file() { # source, destination, mode
  $SUDO cp "$1" "$2.installing.$$"
  $SUDO chmod "$3" "$2.installing.$$"
  $SUDO mv -f "$2.installing.$$" "$2"
}
install_file "$model" "$prefix/share/vmatte/vmatte-dim.safetensors" 644
fused="$root/Models/vmatte-fused.safetensors"
[ -f "$fused" ] && install_file "$fused" "$prefix/share/vmatte/vmatte-fused.safetensors" 644
install_file "$root/Models/README.md" "$prefix/share/vmatte/MODEL_CARD.md" 644
install_file "$binary" "$prefix/bin/vmatte" 755

echo "installed $prefix/bin/vmatte and its model $prefix/share/vmatte/vmatte-dim.safetensors"
