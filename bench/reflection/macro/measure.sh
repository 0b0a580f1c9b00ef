#!/usr/bin/env bash
# The build cost of a swift-syntax macro, for the README's "Structured values" section: a
# package with one small extension macro (TreeMacros), a library declaring it and a user,
# built clean in debug and then with -c release. Prints wall and CPU seconds of each.
set -euo pipefail
cd "$(dirname "$0")"
rm -rf .build
/usr/bin/time -f "debug: %e s wall, %U s user" swift build 2>&1 | tail -1
rm -rf .build
/usr/bin/time -f "release: %e s wall, %U s user" swift build -c release 2>&1 | tail -1
rm -rf .build
