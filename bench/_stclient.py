"""A Streamlit client without a browser: one websocket session on /_stcore/stream speaking the protobufs that ship
with streamlit (BackMsg out, ForwardMsg in), as the frontend does (streamlit 1.67; frontend/app/src/App.tsx,
connection/WebsocketConnection.tsx, lib/src/ForwardMessageCache.ts).

What the frontend does and this client copies:
- connect with the subprotocol "streamlit" (the second entry would carry an XSRF token, the third a session id to
  resume: a new tab sends neither), and send no websocket pings (a browser does not; a server busy for 20 s under
  load would otherwise be dropped by the client's own keepalive, an error of the load test, not of the server);
- ask for a run with BackMsg.rerun_script: a deep link sends `page_name` (the url path) and no page hash; later runs
  send the page hash learnt from ForwardMsg.new_session, or, for another page, from the `navigation` message;
- keep the hashes of the cacheable messages of the last runs and send them as `cached_message_hashes`: the server
  then sends a `ref_hash` instead of a large element it has already sent this tab;
- a run is over at ForwardMsg.script_finished, unless its status is FINISHED_EARLY_FOR_RERUN (an st.rerun(): the
  app's own reruns, e.g. nncore/ui/routing.py on a fresh server or a link being mended, belong to the same request).

Not copied: the static files (HTML, JS, fonts) a browser downloads first, and the frontend's own work.
"""
from __future__ import annotations

import asyncio
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed
from websockets.typing import Subprotocol

from streamlit.proto.Alert_pb2 import Alert

EARLY_FOR_RERUN = ForwardMsg.FINISHED_EARLY_FOR_RERUN
COMPILE_ERROR = ForwardMsg.FINISHED_WITH_COMPILE_ERROR
MAX_MESSAGE_AGE = 2   # runs a cached message is kept unseen (Streamlit's global.maxCachedMessageAge default)


@dataclass
class Run:
    """One request: seconds from the rerun_script BackMsg to the script_finished that ends it, and what it showed."""

    seconds: float = 0.0
    finished: bool = False
    errors: list[str] = field(default_factory=list)   # exception boxes, error alerts, page not found, a drop, ...
    received: int = 0                                 # bytes of ForwardMsgs
    reruns: int = 0                                   # the app's own st.rerun()s within the request


def error_in(msg: ForwardMsg) -> str | None:
    """The error a ForwardMsg puts on screen, if any: an exception box or an st.error alert, or a missing page."""
    if msg.WhichOneof("type") == "page_not_found":
        return f"page not found: {msg.page_not_found.page_name!r}"
    if msg.WhichOneof("type") != "delta":
        return None
    kind = msg.delta.WhichOneof("type")
    if kind not in ("new_element", "new_transient"):
        return None
    element = getattr(msg.delta, kind)
    if element.WhichOneof("type") == "exception" and not element.exception.is_warning:
        return f"exception: {element.exception.type} {element.exception.message}".strip()
    if element.WhichOneof("type") == "alert" and element.alert.format == Alert.ERROR:
        return f"error: {element.alert.body}"
    return None


def bound_value(msg: ForwardMsg) -> tuple[str, float] | None:
    """(URL key, value shown) of a slider or number input bound to the URL, from the message that draws it."""
    if msg.WhichOneof("type") != "delta" or msg.delta.WhichOneof("type") != "new_element":
        return None
    kind = msg.delta.new_element.WhichOneof("type")
    if kind not in ("slider", "number_input"):
        return None
    widget = getattr(msg.delta.new_element, kind)
    if not widget.query_param_key or (kind == "slider" and widget.options):   # a select_slider shows options[i]
        return None
    shown = widget.value if widget.set_value else widget.default   # unset: the widget shows its default
    shown = shown[0] if kind == "slider" and len(shown) == 1 else shown
    return (widget.query_param_key, shown) if isinstance(shown, float) else None


def run_sync(coro):
    """asyncio.run(coro) in a thread of its own: it works where an event loop already runs in this thread
    (a notebook; Playwright's sync API, which the e2e tests keep open in the same pytest process)."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()


def stream_url(base_url: str) -> str:
    """http://host:port[/base] -> ws://host:port[/base]/_stcore/stream."""
    parts = urlsplit(base_url)
    scheme = "wss" if parts.scheme == "https" else "ws"
    return f"{scheme}://{parts.netloc}{parts.path.rstrip('/')}/_stcore/stream"


class Session:
    """One browser tab: a websocket session that asks for script runs and waits for each to finish."""

    def __init__(self, ws: ClientConnection):
        self.ws = ws
        self.page_hash = ""                      # the page this tab shows (from new_session)
        self.page_hashes: dict[str, str] = {}    # url path -> page hash (from navigation)
        self.query = ""                          # the tab's URL query string (the app may rewrite it)
        self.shown: dict[str, float] = {}        # URL key -> value of the bound sliders and number inputs shown
        self._cache: dict[str, tuple[int, str | None]] = {}   # hash -> (last run seen, the error it shows)
        self._runs = 0
        self.progress = ""                       # the text of the last progress bar drawn (a wait, a run)

    @classmethod
    async def open(cls, base_url: str, timeout: float) -> Session:
        ws = await connect(stream_url(base_url), subprotocols=[Subprotocol("streamlit")], open_timeout=timeout,
                           ping_interval=None, max_size=None, close_timeout=2)
        return cls(ws)

    async def close(self) -> None:
        await self.ws.close()

    def _rerun_msg(self, page: str, query: str, history: bool) -> BackMsg:
        msg = BackMsg()
        rerun = msg.rerun_script
        rerun.query_string = query
        page_hash = self.page_hashes.get(page) if page else self.page_hash
        if page_hash:
            rerun.page_script_hash = page_hash
        else:
            rerun.page_name = page           # a deep link: the server finds the page by its url path
        rerun.is_history_navigation = history
        rerun.cached_message_hashes.extend(self._cache)
        rerun.widget_states.SetInParent()   # no widget values: the server keeps each widget's last value
        return msg

    async def start(self, page: str, query: str) -> None:
        """Ask for a run and return at once (watch it with `until`)."""
        self._runs += 1
        self.query = query
        await self.ws.send(self._rerun_msg(page, query, False).SerializeToString())

    async def until(self, condition, timeout: float = 60.0) -> bool:
        """Read the run's messages until condition(self) holds (True) or the run finishes or time is up (False)."""
        result, deadline = Run(), time.perf_counter() + timeout
        while not condition(self):
            left = deadline - time.perf_counter()
            if result.finished or left <= 0:
                return False
            self._handle(ForwardMsg.FromString(await asyncio.wait_for(self.ws.recv(), left)), result)
        return True

    async def run(self, page: str = "", query: str | None = None, history: bool = False,
                  timeout: float = 60.0) -> Run:
        """Ask for a run of `page` (url path; "" = the page shown) with `query` (None = the tab's current URL) and
        wait for it to finish, at most `timeout` seconds. `history`: the URL's values win over the widgets' (what
        the browser's back/forward buttons send), so a new query string sets bound widgets in a running session."""
        self._runs += 1
        self._cache = {h: v for h, v in self._cache.items() if self._runs - v[0] <= MAX_MESSAGE_AGE}
        self.query = self.query if query is None else query
        result, start = Run(), time.perf_counter()
        deadline = start + timeout
        try:
            await self.ws.send(self._rerun_msg(page, self.query, history).SerializeToString())
            while not result.finished:
                left = deadline - time.perf_counter()
                if left <= 0:
                    raise TimeoutError
                data = await asyncio.wait_for(self.ws.recv(), left)
                result.received += len(data)
                self._handle(ForwardMsg.FromString(data), result)
        except (TimeoutError, asyncio.TimeoutError):
            result.errors.append(f"no script_finished within {timeout:g} s")
        except ConnectionClosed as err:
            result.errors.append(f"connection closed: {err}")
        result.seconds = time.perf_counter() - start
        return result

    def _handle(self, msg: ForwardMsg, result: Run) -> None:
        kind = msg.WhichOneof("type")
        if kind == "ref_hash":
            error = self._cache.get(msg.ref_hash, (0, None))[1]
            self._cache[msg.ref_hash] = (self._runs, error)
        else:
            error = error_in(msg)
            if msg.metadata.cacheable:
                self._cache[msg.hash] = (self._runs, error)
        if error:
            result.errors.append(error)
        if bound := bound_value(msg):
            self.shown[bound[0]] = bound[1]
        if kind == "delta" and msg.delta.WhichOneof("type") == "new_element" \
                and msg.delta.new_element.WhichOneof("type") == "progress":
            self.progress = msg.delta.new_element.progress.text
        if kind == "new_session":
            self.shown = {}
            self.page_hash = msg.new_session.page_script_hash
        elif kind == "navigation":
            self.page_hashes = {p.url_pathname: p.page_script_hash for p in msg.navigation.app_pages}
            self.page_hash = msg.navigation.page_script_hash or self.page_hash
        elif kind == "page_info_changed":
            self.query = msg.page_info_changed.query_string
        elif kind == "script_finished":
            if msg.script_finished == EARLY_FOR_RERUN:
                result.reruns += 1
            else:
                result.finished = True
                if msg.script_finished == COMPILE_ERROR:
                    result.errors.append("the script did not compile")
