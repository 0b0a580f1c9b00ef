#!/usr/bin/env bash
# Installs what Tangent needs that SwiftPM cannot: OpenBLAS, LAPACKE and SuperLU
# (BSD-3, sparse LU) from Debian's packages.
# As root it runs apt-get; with sudo it uses sudo; otherwise it prints the command and stops.
set -euo pipefail
packages=(libopenblas-dev liblapacke-dev libsuperlu-dev)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "Tangent needs: ${missing[*]}"
cmd="apt-get update && apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$(id -u)" -eq 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  bash -c "$cmd"
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  sudo env DEBIAN_FRONTEND=noninteractive bash -c "$cmd"
else
  echo "Run this as root, then try again:"
  echo "  sudo sh -c '$cmd'"
  exit 1
fi
