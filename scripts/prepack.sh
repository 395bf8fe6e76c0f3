#!/usr/bin/env bash
# `npm pack` / `npm publish` run this first (package.json "prepack"): build what the tarball ships —
# bindings/wasm/ (both wasm builds), dist/ (the built element and site) and custom-elements.json.
# An existing build-wasm/ is only brought up to date (ninja rebuilds what changed, and re-runs CMake when
# CMakeLists.txt changed): `npm run build:wasm` re-configures, and configuring rewrites the patched Eigen
# copy, which recompiles everything (minutes on 2 cores) even when nothing changed.
set -euo pipefail
exec 1>&2  # the build's progress on stderr: `npm pack --json` keeps stdout for its JSON
cd "$(dirname "$0")/.."
if [ -f build-wasm/build.ninja ]; then
  cmake --build build-wasm
else
  npm run build:wasm
fi
npx vite build
node scripts/custom-elements.js
