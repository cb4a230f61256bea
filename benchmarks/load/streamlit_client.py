"""A small client of Streamlit's own protocol, for load tests: what a browser tab says to the app and hears back.

The app has no HTTP API: a browser opens the page (an HTTP GET that, behind the proxy, gives it the sticky cookie
``proofing_route``), then one WebSocket to ``/_stcore/stream`` carrying protobufs. It sends a ``BackMsg`` with
``rerun_script`` (the address's query string, the page, every widget's value, the fragment a widget sits in) and
reads ``ForwardMsg``s back: ``new_session`` (a full run starts), ``delta`` (an element drawn, at a path), ``
page_info_changed`` (the address changed), ``script_finished``. A widget is known by its id, which ends in the
key the page gave it (``$$ID-<hash>-q_<question>``), else by its label.

One ``StreamlitTab`` is one browser tab, used by one thread or greenlet at a time. It is synchronous
(websocket-client, requests), so locust's gevent makes thousands of them cheap.
"""

from __future__ import annotations

import ssl
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import requests
import urllib3
import websocket
from streamlit.proto.Alert_pb2 import Alert
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.Element_pb2 import Element
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)  # the test proxy's certificate is self-signed

WIDGET_KINDS = (
    "radio",
    "multiselect",
    "number_input",
    "checkbox",
    "button",
    "download_button",
    "text_input",
    "text_area",
    "selectbox",
)
DONE = {ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY}


class TabError(Exception):
    """The app did not answer as a browser expects: closed the connection, timed out, or showed an error."""


class ConnectionLost(TabError):
    """The WebSocket closed or failed (the app process went away): the tab reconnects as a browser would."""


@dataclass
class Widget:
    """One widget on the page: its kind (the Element field), id, label, options, and the fragment it sits in."""

    kind: str
    id: str
    label: str
    options: list[str]
    fragment_id: str
    proto: Any

    def key_is(self, key: str) -> bool:
        """Whether the page gave this widget the key `key`."""
        return self.id.endswith("-" + key)


@dataclass
class Run:
    """What one run of the page drew: its widgets, texts, alerts and errors, and how long it took."""

    seconds: float = 0.0
    widgets: list[Widget] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    successes: list[str] = field(default_factory=list)
    auto_reruns: dict[str, float] = field(default_factory=dict)  # fragment id -> interval (st.fragment run_every)


class StreamlitTab:
    """One browser tab on the app at `base_url` (http or https, through the proxy or straight to one process)."""

    def __init__(self, base_url: str, *, timeout: float = 60.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.http = requests.Session()
        self.socket: websocket.WebSocket | None = None
        self.session_id = ""
        self.page = ""  # the page's url path ("" the default page)
        self.query = ""
        self.pages: dict[str, str] = {}  # url path -> page script hash
        self.elements: dict[tuple[int, ...], tuple[Element, str]] = {}  # delta path -> element, its fragment id
        self.states: dict[str, WidgetState] = {}  # the widget values this tab has given, by widget id
        self.cache: dict[str, ForwardMsg] = {}  # cacheable messages by hash (the server may send a reference)
        self.reconnects = 0

    # --- connection ---------------------------------------------------------------------------------------------

    def open(self, page: str = "", query: str = "") -> Run:
        """Load the page (GET, keeping the proxy's cookie), connect the WebSocket and run the page once."""
        self.page, self.query = page, query
        self.get(f"/{page}" + (f"?{query}" if query else ""))
        self._connect()
        return self.run()

    def get(self, path: str) -> requests.Response:
        """An HTTP GET of `path` on the app, keeping the proxy's cookie; a failure to reach it is a lost connection.
        (The certificate is not checked, here and on every call: requests lets REQUESTS_CA_BUNDLE override a
        session's own setting.)"""
        try:
            answer = self.http.get(self.base_url + path, timeout=self.timeout, verify=False)
        except requests.ConnectionError as failed:
            raise ConnectionLost(f"cannot reach the app: {failed}") from failed
        except requests.RequestException as failed:
            raise TabError(f"the app did not answer: {failed}") from failed
        if answer.status_code >= 400:
            raise TabError(f"the app answered {answer.status_code} to {path}")
        return answer

    def _connect(self) -> None:
        parts = urlsplit(self.base_url)
        scheme = "wss" if parts.scheme == "https" else "ws"
        cookies = "; ".join(f"{name}={value}" for name, value in self.http.cookies.items())
        protocols = ["streamlit", "", self.session_id] if self.session_id else ["streamlit"]
        try:
            self.socket = websocket.create_connection(
                f"{scheme}://{parts.netloc}{parts.path}/_stcore/stream",
                timeout=self.timeout,
                subprotocols=protocols,
                origin=f"{parts.scheme}://{parts.netloc}",
                cookie=cookies or None,
                sslopt={"cert_reqs": ssl.CERT_NONE, "check_hostname": False},
            )
        except (OSError, websocket.WebSocketException) as failed:
            raise ConnectionLost(f"cannot connect: {failed}") from failed

    def reconnect(self, attempts: int = 30, pause: float = 1.0) -> Run:
        """Connect again after the connection was lost, as the browser does (the proxy may send it to another
        process, which knows nothing of this tab), and run the page at the address it had."""
        self.close()
        self.reconnects += 1
        for attempt in range(attempts):
            try:
                self.get(f"/{self.page}")
                self._connect()
                self.elements.clear()
                return self.run()
            except ConnectionLost:
                if attempt == attempts - 1:
                    raise
                time.sleep(pause)
        raise ConnectionLost("could not reconnect")  # pragma: no cover - the loop returns or raises

    def idle(self, seconds: float) -> None:
        """Keep the tab open for `seconds` while the person reads or thinks, answering the server's pings as a
        browser does by itself (the app's server closes a WebSocket whose pings go unanswered for 20 s)."""
        until = time.monotonic() + seconds
        while (left := until - time.monotonic()) > 0:
            if self.socket is None:
                time.sleep(left)
                return
            self.socket.settimeout(min(left, 1.0))
            try:
                self.socket.recv_data_frame(control_frame=True)  # a ping is answered (pong) as it is read
            except websocket.WebSocketTimeoutException:
                pass
            except (OSError, websocket.WebSocketException):
                self.close()  # the next action finds the connection lost, as the browser's page would
            finally:
                if self.socket is not None:
                    self.socket.settimeout(self.timeout)

    def close(self) -> None:
        """Close the WebSocket (the tab is closed)."""
        if self.socket is not None:
            try:
                self.socket.close()
            except (OSError, websocket.WebSocketException):
                pass
            self.socket = None

    # --- running the page -------------------------------------------------------------------------------------------

    def run(
        self,
        changed: Iterable[WidgetState] = (),
        fragment_id: str = "",
        page: str | None = None,
        query: str = "",
        auto: bool = False,
    ) -> Run:
        """Run the page (or one fragment of it) with the widget values `changed`, as a browser does after a change
        or a click; or (`page`) go to a page at the address's `query`; wait for the run to finish, return what it
        drew."""
        if page is not None:
            if page != self.page:
                self.states = {}
            self.page, self.query, fragment_id = page, query, ""
        for state in changed:
            self.states[state.id] = state
        message = BackMsg()
        client = message.rerun_script
        client.query_string = self.query
        client.page_name = self.page
        client.page_script_hash = self.pages.get(self.page, "")
        client.fragment_id = fragment_id
        client.is_auto_rerun = auto
        client.context_info.timezone = "UTC"
        client.context_info.locale = "en-GB"
        client.context_info.url = f"{self.base_url}/{self.page}" + (f"?{self.query}" if self.query else "")
        client.widget_states.widgets.extend(self.states.values())
        for widget_id, state in list(self.states.items()):  # a click is sent once
            if state.WhichOneof("value") in ("trigger_value", "string_trigger_value", "json_trigger_value"):
                del self.states[widget_id]
        started = time.perf_counter()
        self._send(message.SerializeToString())
        result = self._read_until_finished()
        result.seconds = time.perf_counter() - started
        return result

    def _send(self, data: bytes) -> None:
        if self.socket is None:
            raise ConnectionLost("not connected")
        try:
            self.socket.send_binary(data)
        except (OSError, websocket.WebSocketException) as failed:
            raise ConnectionLost(f"send failed: {failed}") from failed

    def _receive(self) -> ForwardMsg:
        assert self.socket is not None
        try:
            data = self.socket.recv()
        except websocket.WebSocketTimeoutException as slow:
            raise TabError(f"no answer within {self.timeout:g} s") from slow
        except (OSError, websocket.WebSocketException) as failed:
            raise ConnectionLost(f"connection lost: {failed}") from failed
        if not data:
            raise ConnectionLost("connection closed")
        message = ForwardMsg()
        message.ParseFromString(data if isinstance(data, bytes) else data.encode())
        if message.ref_hash:
            message = self._cached(message.ref_hash, message)
        elif message.hash and message.metadata.cacheable:
            self.cache[message.hash] = message
        return message

    def _cached(self, ref_hash: str, reference: ForwardMsg) -> ForwardMsg:
        """A message the server sent by reference: from this tab's cache, else fetched as a browser would."""
        found = self.cache.get(ref_hash)
        if found is None:
            answer = self.get(f"/_stcore/message?hash={ref_hash}")
            found = ForwardMsg()
            found.ParseFromString(answer.content)
            self.cache[ref_hash] = found
        message = ForwardMsg()
        message.CopyFrom(found)
        message.metadata.CopyFrom(reference.metadata)  # where it goes on the page is the reference's
        return message

    def _read_until_finished(self) -> Run:
        result = Run()
        while True:
            message = self._receive()
            kind = message.WhichOneof("type")
            if kind == "new_session":  # a run starts: a full run redraws the page, a fragment's run that fragment
                self.session_id = message.new_session.initialize.session_id or self.session_id
                redrawn = set(message.metadata.run.fragment_ids)
                self.elements = {
                    path: kept for path, kept in self.elements.items() if redrawn and kept[1] not in redrawn
                }
                result = Run()
            elif kind == "navigation":
                self.pages = {page.url_pathname: page.page_script_hash for page in message.navigation.app_pages}
            elif kind == "page_info_changed":
                self.query = message.page_info_changed.query_string
            elif kind == "auto_rerun":
                result.auto_reruns[message.auto_rerun.fragment_id] = message.auto_rerun.interval
            elif kind == "delta" and message.delta.WhichOneof("type") == "new_element":
                path = tuple(message.metadata.delta_path)
                self.elements[path] = (message.delta.new_element, message.delta.fragment_id)
            elif kind == "script_finished":
                if message.script_finished in DONE:
                    self._describe(result)
                    return result
                if message.script_finished == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                    raise TabError("the page failed to compile")
                # FINISHED_EARLY_FOR_RERUN: the page asked for another run (st.rerun); it follows at once

    def _describe(self, result: Run) -> None:
        for path in sorted(self.elements):
            element, fragment = self.elements[path]
            kind = element.WhichOneof("type")
            if kind in WIDGET_KINDS:
                proto = getattr(element, kind)
                options = list(getattr(proto, "options", []))
                result.widgets.append(Widget(kind, proto.id, proto.label, options, fragment, proto))
            elif kind == "alert":
                body = element.alert.body
                if element.alert.format == Alert.ERROR:
                    result.errors.append(body)
                elif element.alert.format == Alert.WARNING:
                    result.warnings.append(body)
                elif element.alert.format == Alert.SUCCESS:
                    result.successes.append(body)
                result.texts.append(body)
            elif kind == "exception":
                result.errors.append(element.exception.message or "an exception")
            elif kind in ("markdown", "heading", "text", "html"):
                proto = getattr(element, kind)
                result.texts.append(getattr(proto, "body", "") or getattr(proto, "text", ""))

    # --- what a person does ---------------------------------------------------------------------------------------

    def widget(self, run: Run, key: str | None = None, label: str | None = None, prefix: str | None = None) -> Widget:
        """The widget `run` drew with this key, else with this label, else whose label starts with `prefix`."""
        for found in run.widgets:
            if (
                (key is not None and found.key_is(key))
                or (label is not None and found.label == label)
                or (prefix is not None and found.label.startswith(prefix))
            ):
                return found
        raise TabError(f"the page drew no widget {key or label or prefix!r}")

    def set(self, widget: Widget, value: Any) -> Run:
        """Give `widget` a value and run the page (the widget's fragment) as the browser does after a change."""
        return self.run([self.state(widget, value)], fragment_id=widget.fragment_id)

    def keep(self, widget: Widget, value: Any) -> None:
        """Give `widget` a value sent with the next run, not before: a widget in a form until the form is submitted,
        text typed before pressing a button."""
        self.states[widget.id] = self.state(widget, value)

    @staticmethod
    def state(widget: Widget, value: Any) -> WidgetState:
        """The value as the browser sends it: an option's words for a radio or select, a list of them for a
        multiselect, a number, a bool, text."""
        state = WidgetState(id=widget.id)
        if widget.kind in ("radio", "selectbox", "text_input", "text_area"):
            state.string_value = str(value)
        elif widget.kind == "multiselect":
            state.string_array_value.data.extend(str(item) for item in value)
        elif widget.kind == "number_input":
            state.double_value = float(value)
        elif widget.kind == "checkbox":
            state.bool_value = bool(value)
        else:
            raise TabError(f"cannot set a {widget.kind}")
        return state

    def click(self, widget: Widget) -> Run:
        """Press a button (or a form's submit button) and run the page as the browser does."""
        return self.run([WidgetState(id=widget.id, trigger_value=True)], fragment_id=widget.fragment_id)

    def download(self, widget: Widget) -> bytes:
        """Fetch the file a download button serves (the browser's GET of its media address)."""
        url = widget.proto.url
        return self.get(url.removeprefix(self.base_url)).content
