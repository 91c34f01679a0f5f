#!/usr/bin/env bash
# The `heif` feature's tests: installs Debian's libheif (its HEVC decoder and encoder come
# with it) if missing, then builds herald with the feature and makes a gallery of a HEIC.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! dpkg -s libheif-dev >/dev/null 2>&1; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libheif-dev >/dev/null
fi
cargo test --quiet --features heif --test image_formats
