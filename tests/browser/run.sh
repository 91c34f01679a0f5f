#!/usr/bin/env bash
# Browser tests: installs Debian's Chromium, Java (for the Nu Html Checker), CJK fonts and
# the npm packages if missing, builds the demo
# site with --now fixed, and checks its pages in headless Chromium.
set -euo pipefail
cd "$(dirname "$0")/../.."

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)
dpkg -s fonts-noto-cjk >/dev/null 2>&1 || missing+=(fonts-noto-cjk)
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
for package in playwright-core axe-core vnu-jar jsqr pngjs; do
  if [ ! -d "tests/browser/node_modules/$package" ]; then
    (cd tests/browser && npm ci --no-audit --no-fund --silent)
    break
  fi
done

site_dir="$PWD/target/browser-site"
cargo build --quiet --release
./target/release/herald build --now 2013-03-06 --output "$site_dir"

export HERALD_SITE_DIR="$site_dir" HERALD_SCREENSHOTS="$PWD/target/screenshots"
cd tests/browser
npm test
