#!/usr/bin/env bash
# Start the lab: creates .venv and installs requirements.txt on first use, then runs Streamlit.
# Extra arguments go to `streamlit run`, e.g.  bash scripts/run_app.sh --server.port 8080
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/_venv.sh
ensure_venv requirements.txt
set -a; source scripts/server.env; set +a   # the server's environment (also the load test's and deploy/'s)
exec .venv/bin/streamlit run app.py "$@"
