"""Own data in a page: a CSV uploader under the data-set choice. A checked file is saved on this server and chosen by
its name (`upload-<sha12>`, nncore.uploads), so the run key and the link carry the name, not the data."""
from __future__ import annotations

from typing import Any

import streamlit as st

from nncore import uploads
from nncore.ui import links
from nncore.ui.i18n import N_, _

HELP = N_("A CSV of numbers, at most {kb} kB, {least}-{most:,} rows and {inputs} input columns, a header line if "
          "you like; the target is the last column, or the one you choose below: whole numbers (at most {classes}) "
          "are classes, other numbers a value to predict. Two inputs draw the decision boundary. The file stays on "
          "this server; a link names it by its content.")


def _help() -> str:
    return _(HELP).format(kb=uploads.MAX_BYTES // 1000, least=uploads.MIN_ROWS, most=uploads.MAX_ROWS,
                          inputs=uploads.MAX_FEATURES, classes=uploads.MAX_CLASSES)


def _take(key: str) -> None:
    """The uploader's and the target's callback: check and save the file with its target (the chosen column, or the
    last) and choose it, or keep the message that says what is wrong."""
    file, state = st.session_state.get(f"{key}.csv"), st.session_state
    for old in (f"{key}.error", f"{key}.columns"):
        state.pop(old, None)
    if file is None:
        return
    try:
        state[f"{key}.columns"] = names = uploads.columns(file.getvalue())
        if state.get(f"{key}.target") not in names:
            state[f"{key}.target"] = names[-1]
        state[key] = uploads.save(uploads.parse(file.getvalue(), state[f"{key}.target"]))
    except ValueError as err:
        state[f"{key}.error"] = (file.name, str(err))


def dataset_box(label: str, choices: list[str], default: str, key: str, meta: dict, **common: Any) -> str:
    """The data-set selectbox (`choices`, and the uploads this session or its link names) with an uploader below."""
    uploaded = [v for v in (st.session_state.get(key), st.query_params.get(key), default) if uploads.is_upload(v)]
    options = list(dict.fromkeys([*choices, *uploaded]))
    value = st.selectbox(label, options, index=options.index(default), format_func=lambda k: links.shown(meta, k),
                         key=key, **common)
    st.file_uploader(_("Or upload your own CSV"), type=["csv"], key=f"{key}.csv", on_change=_take, args=(key,),
                     max_upload_size=1, help=_help())
    if names := st.session_state.get(f"{key}.columns"):
        st.selectbox(_("Target column (what to predict)"), names, key=f"{key}.target", on_change=_take, args=(key,))
    if problem := st.session_state.get(f"{key}.error"):
        file, error = problem
        st.error(_("{file}: {problem} The data set is unchanged.").format(file=file, problem=error),
                 icon=":material/error:")
    return value
