#!/usr/bin/env bash
# Installs Debian's PyTorch and torchvision for /usr/bin/python3 unless it already imports them: the torchvision import
# tests make their fixtures with them (and skip, saying so, without them).
set -euo pipefail
if /usr/bin/python3 -c "import torch, torchvision" 2>/dev/null; then
  exit 0
fi
echo "/usr/bin/python3 cannot import torch and torchvision: installing python3-torch python3-torchvision"
sudo_cmd=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "Run as root or install sudo, then: apt-get install python3-torch python3-torchvision" >&2; exit 1; }
  sudo_cmd="sudo"
fi
$sudo_cmd apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -q python3-torch python3-torchvision
