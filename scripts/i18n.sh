#!/bin/sh
# The translation catalogs, with Babel (requirements-test.txt): extract every _(), N_() and ngettext() string of the
# files babel.cfg names into nncore/locale/nncore.pot, merge it into each language's .po (a new message arrives
# untranslated: English until translated), and compile the .mo files the app reads with the stdlib's gettext.
#   sh scripts/i18n.sh            extract, update, compile
#   sh scripts/i18n.sh compile    compile only (after editing a .po)
set -e
cd "$(dirname "$0")/.."
PYBABEL="${PYTHON:-.venv/bin/python} -m babel.messages.frontend"
if [ "$1" != compile ]; then
    $PYBABEL extract -F babel.cfg -k N_ --add-location=file --sort-by-file --no-wrap --project "Neural Net Training Lab" \
        -o nncore/locale/nncore.pot .
    for lang in es pt ko; do
        if [ -f "nncore/locale/$lang/LC_MESSAGES/nncore.po" ]; then
            $PYBABEL update -i nncore/locale/nncore.pot -d nncore/locale -D nncore -l "$lang" --no-wrap \
                --no-fuzzy-matching --ignore-obsolete
        else
            $PYBABEL init -i nncore/locale/nncore.pot -d nncore/locale -D nncore -l "$lang" --no-wrap
        fi
    done
fi
$PYBABEL compile -d nncore/locale -D nncore --statistics
