#!/usr/bin/env bash
# The first step of `npm start`, `npm test` and `npm run bench` on a fresh Debian 12 machine: install the
# Debian packages that are missing (when running as root; otherwise print the exact command), check Node,
# then `npm ci` when node_modules is missing or older than package-lock.json. A no-op once set up.
set -euo pipefail
cd "$(dirname "$0")/.."

# emscripten (+ its clang/lld/binaryen) builds the wasm; libeigen3-dev is the engine's matrix library;
# cmake, ninja, g++, GoogleTest/GoogleMock, Google Benchmark and nlohmann-json build the native tests,
# the benchmark suite and the native oracle; chromium runs the browser tests (driven by playwright-core).
packages=(emscripten libeigen3-dev cmake ninja-build g++ libgtest-dev libgmock-dev libbenchmark-dev nlohmann-json3-dev chromium)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then
    echo "bootstrap: installing ${missing[*]}"
    apt-get update -q
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
  else
    echo "bootstrap: missing Debian packages. Install them with:" >&2
    echo "  sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
fi

# Vite and vitest need Node ^20.19 or >= 22.12.
if ! node -e 'const [a,b]=process.versions.node.split(".").map(Number);process.exit(a>22||(a===22&&b>=12)||(a===20&&b>=19)?0:1)'; then
  echo "bootstrap: Node $(node --version) is too old: backprop-lab needs Node 20.19+ or 22.12+." >&2
  exit 1
fi

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "bootstrap: npm ci"
  npm ci --no-audit --no-fund
fi
