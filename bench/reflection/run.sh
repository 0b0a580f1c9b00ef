#!/usr/bin/env bash
# The default TensorTree conformance by reflection, outside the package: compiles
# Sources/Tangent/Functional/ReflectedTensorTree.swift against a small stand-in Tensor
# (Support.swift), checks it in debug and release (check.swift), then times `leaves` and
# `rebuilt(from:)` on nested and flat structs against hand-listed key paths (Timing.swift).
# Used for the figures in the README's "Structured values" section.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
sed -e 's/^import Synchronization/import Synchronization\nimport Foundation/' \
  "$here/../../Sources/Tangent/Functional/ReflectedTensorTree.swift" > "$work/Reflected.swift"
for opt in -Onone -O; do
  swiftc $opt -parse-as-library "$here/Support.swift" "$work/Reflected.swift" "$here/check.swift" -o "$work/check"
  echo "check ($opt): $("$work/check" | tail -1)"
done
cp "$here/Timing.swift" "$work/main.swift"
swiftc -O "$here/Support.swift" "$work/Reflected.swift" "$work/main.swift" -o "$work/timing"
"$work/timing"
