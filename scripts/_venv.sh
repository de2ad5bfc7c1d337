# Sourced by run_app.sh and run_tests.sh.
# apt_install PACKAGE...: Debian packages without their recommends, as root or through sudo.
# ensure_venv REQUIREMENTS_FILE: creates .venv if missing and installs the requirements, skipping pip when the
# requirements have not changed since the last successful install.
# torch==2.13.0 comes from the machine's local wheel through pip's own configuration (no index URLs here).

apt_install() {
    local sudo=""
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null || { echo "error: apt-get needs root: run as root or install sudo ($*)" >&2; return 1; }
        sudo="sudo"
    fi
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -q
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@"
}

ensure_venv() {
    local req="$1" py stamp want start included
    if [ ! -x .venv/bin/python ]; then
        py=$(command -v python3.11 || command -v python3) || { echo "error: python3 not found" >&2; return 1; }
        echo "Creating .venv with $("$py" --version 2>&1) ..."
        if ! "$py" -m venv .venv; then
            # Debian's own python3 needs python3-venv (ensurepip) to create a venv.
            rm -rf .venv
            echo "python -m venv failed: installing Debian's python3-venv ..."
            apt_install python3-venv
            "$py" -m venv .venv
        fi
    fi
    # The stamp covers the requirement file and every file it includes with -r.
    included=$(sed -n 's/^-r[[:space:]]*//p' "$req")
    stamp=".venv/.installed-$(basename "$req").sha256"
    want=$(cat "$req" $included | sha256sum | cut -d' ' -f1)
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
        return 0
    fi
    echo "Installing $req into .venv: $(sed -n 's/==.*//p' $included "$req" | paste -sd, - | sed 's/,/, /g')."
    echo "  A first install puts ~1.5 GB in .venv and takes 1-2 minutes; pip prints nothing until it is done."
    start=$SECONDS
    .venv/bin/python -m pip install -q --disable-pip-version-check -r "$req"
    echo "  Installed in $((SECONDS - start)) s ($(du -sh .venv | cut -f1) in .venv)."
    echo "$want" > "$stamp"
}
