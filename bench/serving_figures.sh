#!/usr/bin/env bash
# The serving figures of README's "Serving a class": one `streamlit run app.py` with the repository's settings
# (scripts/server.env), then bench/load against it: a burst of 30 on its very first visitors, a burst of 30 on a new
# link once it runs, a class of 30 for 180 s. About 6 minutes; run it on a quiet machine.
# Usage: bash bench/serving_figures.sh [OUTDIR]   (reports and JSON in OUTDIR, default bench/out/serving)
set -uo pipefail
cd "$(dirname "$0")/.."
out=${1:-bench/out/serving}
mkdir -p "$out"
port=$(.venv/bin/python -c "from bench._server import free_port; print(free_port())")
set -a; source scripts/server.env; set +a
.venv/bin/streamlit run app.py --server.port "$port" > "$out/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null' EXIT
for _ in $(seq 120); do curl -fs "http://127.0.0.1:$port/_stcore/health" > /dev/null && break; sleep 1; done
load() { .venv/bin/python -m bench.load --url "http://127.0.0.1:$port" --pid "$server" "$@"; }
load --workload burst --students 30 --link "/weight_init?seed=3&reveal=1" --settle 20 --json "$out/burst_first.json" | tee "$out/burst_first.txt"
load --workload burst --students 30 --link "/weight_init?seed=4&reveal=1" --settle 20 --json "$out/burst.json" | tee "$out/burst.txt"
load --workload class --students 30 --duration 180 --settle 60 --json "$out/class.json" | tee "$out/class.txt"
