# Sourced by run_app.sh and run_tests.sh: ensure_venv REQUIREMENTS_FILE creates .venv if missing and installs
# the requirements, skipping pip when the requirements have not changed since the last successful install.
# torch==2.13.0 comes from the machine's local wheel through pip's own configuration (no index URLs here).

ensure_venv() {
    local req="$1" py stamp want
    if [ ! -x .venv/bin/python ]; then
        py=$(command -v python3.11 || command -v python3) || { echo "error: python3 not found" >&2; return 1; }
        echo "Creating .venv with $("$py" --version 2>&1) ..."
        if ! "$py" -m venv .venv; then
            # Debian's own python3 needs python3-venv (ensurepip) to create a venv.
            rm -rf .venv
            echo "python -m venv failed: installing Debian's python3-venv ..."
            DEBIAN_FRONTEND=noninteractive apt-get update -q
            DEBIAN_FRONTEND=noninteractive apt-get install -y -q python3-venv
            "$py" -m venv .venv
        fi
    fi
    # The stamp covers the requirement file and every file it includes with -r.
    stamp=".venv/.installed-$(basename "$req").sha256"
    want=$(cat "$req" $(sed -n 's/^-r[[:space:]]*//p' "$req") | sha256sum | cut -d' ' -f1)
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
        return 0
    fi
    echo "Installing $req into .venv ..."
    .venv/bin/python -m pip install -q --disable-pip-version-check -r "$req"
    echo "$want" > "$stamp"
}
