#!/usr/bin/env bash
# The whole test suite: unit tests (tests/nncore), AppTest page tests (tests/pages) and browser tests
# (tests/e2e, Debian's Chromium driven by Playwright). Installs what is missing first.
# Extra arguments go to pytest, e.g.  bash scripts/run_tests.sh tests/e2e -x
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x /usr/bin/chromium ]; then
    echo "Installing Debian's chromium for the browser tests ..."
    export DEBIAN_FRONTEND=noninteractive
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -q
    $sudo apt-get install -y -q chromium fonts-liberation
fi

source scripts/_venv.sh
ensure_venv requirements-test.txt

set +e
.venv/bin/python -m pytest "$@" </dev/null
rc=$?
set -e
if [ "$rc" -eq 5 ]; then
    echo "run_tests.sh: pytest collected no tests: that is a failure" >&2
    exit 1
fi
exit "$rc"
