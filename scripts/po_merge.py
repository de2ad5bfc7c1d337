"""A git merge driver for the translation catalogs (.gitattributes: *.po and *.pot merge=po-union): the union of both
sides' messages, a translation from either side kept, so two branches that each translated their own lessons merge
without a conflict. Afterwards `sh scripts/i18n.sh` re-extracts, drops what no code uses and recompiles the .mo.

    git config merge.po-union.driver ".venv/bin/python scripts/po_merge.py %O %A %B"     (once per clone)
"""
from __future__ import annotations

import sys

from babel.messages.pofile import read_po, write_po


def _read(path: str):
    with open(path, "rb") as f:
        return read_po(f)


def union(ours_path: str, theirs_path: str) -> None:
    """Write into `ours_path` its messages and theirs, a translation kept from whichever side has one."""
    ours, theirs = _read(ours_path), _read(theirs_path)
    for message in theirs:
        if not message.id:
            continue
        mine = ours.get(message.id, message.context)
        if mine is None:
            ours[message.id] = message
        elif not mine.string or mine.string == ("", ""):
            mine.string = message.string
    with open(ours_path, "wb") as f:
        write_po(f, ours, width=0, sort_by_file=True)


if __name__ == "__main__":
    _base, ours_path, theirs_path = sys.argv[1:4]
    union(ours_path, theirs_path)
