#!/usr/bin/env bash
# The whole test suite: unit tests (tests/nncore), AppTest page tests (tests/pages) and browser tests
# (tests/e2e, Debian's Chromium driven by Playwright). Installs what is missing first.
# Extra arguments go to pytest, e.g.  bash scripts/run_tests.sh tests/e2e -x
set -euo pipefail
cd "$(dirname "$0")/.."

source scripts/_venv.sh

if [ ! -x /usr/bin/chromium ]; then
    # Without recommends: 26 packages, ~416 MB here, instead of 115 (+15 upgrades, ~479 MB) that bring avahi,
    # samba and cups. A headless chromium draws text through fontconfig: fonts-liberation gives it Arial/Times/
    # Courier-metric fonts (chromium's own dependencies pull fontconfig).
    echo "Installing Debian's chromium for the browser tests (~125 MB download) ..."
    apt_install chromium fonts-liberation
fi

# tests/deploy: replicas behind nginx sharing a Redis cache, each test starting its own on free loopback ports.
if [ ! -x /usr/sbin/nginx ] || [ ! -x /usr/bin/redis-server ]; then
    echo "Installing Debian's nginx and redis-server for tests/deploy (6 packages, ~2 MB download) ..."
    apt_install nginx redis-server
fi

ensure_venv requirements-test.txt

# Test files run side by side in worker processes (pytest-xdist), one per core up to 4; each file stays in one worker,
# so its fixtures, its browser servers and the runs its tests share stay together. NNLAB_TEST_WORKERS=0: all in this
# process (a debugger, -s); NNLAB_TEST_WORKERS=n: n workers.
cores=$(nproc)
workers=${NNLAB_TEST_WORKERS:-$(( cores < 4 ? cores : 4 ))}

set +e
.venv/bin/python -m pytest -n "$workers" --dist loadfile "$@" </dev/null
rc=$?
set -e
if [ "$rc" -eq 5 ]; then
    echo "run_tests.sh: pytest collected no tests: that is a failure" >&2
    exit 1
fi
exit "$rc"
