#!/usr/bin/env bash
# Installs Debian's PyTorch, torchvision and ONNX for /usr/bin/python3 unless it already imports them: the torchvision
# import tests make their fixtures with torch and torchvision (and skip, saying so, without them); the ONNX export's
# tests check every exported file with ONNX's own checker.
set -euo pipefail
if /usr/bin/python3 -c "import torch, torchvision, onnx" 2>/dev/null; then
  exit 0
fi
packages="python3-torch python3-torchvision python3-onnx"
echo "/usr/bin/python3 cannot import torch, torchvision and onnx: installing $packages"
sudo_cmd=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "Run as root or install sudo, then: apt-get install $packages" >&2; exit 1; }
  sudo_cmd="sudo"
fi
$sudo_cmd apt-get update -qq
# shellcheck disable=SC2086
DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -q $packages
