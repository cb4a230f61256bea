"""Text a person types is kept as they type it, whichever way they leave the page: the one place that does it.

Streamlit's text area (and text input) sends its value to the server only when it is committed: on blur, Enter or
Ctrl+Enter. Typing and then clicking a page in the sidebar raced that commit against the page change, and the page
change won: the text was gone on return, with nothing saved and nothing said. Browser back, a reload and another tab
never commit at all.

So every text field a page draws through ``text_area`` or ``text_input`` here is also watched in the browser by one
small keeper (a Streamlit component with no build step, mounted by app.py on every page, so it outlives a page
change). The keeper sends what was typed after a pause in typing (``PAUSE_MS``); a click on a link to another page
(the sidebar, a page link) waits until the server has it; after browser back or forward it is sent from the page then
shown; and it is sent at once when the tab is hidden, reloaded or closed. (A press on anything else on the page makes
Streamlit commit the field itself, as before.) On the server the text is kept for the session (``typed``: what the
page reads before the widget's own, stale value) and handed to the field's own on-change, which for the questionnaire
saves the draft to the store like any answer: audited, and refused if someone else saved since (the store's
concurrency checks), so it never silently overwrites newer work. A reload and a new tab read the store, so they find
it; a tab with nothing unsaved takes a save made in another tab of the same browser.

The keeper also keeps each batch in the browser's local storage until the server has it (the page then says so in
``data.saved``), so text typed in the instant before a reload or before another tab opens is sent again by whichever
page of the app opens next in that browser, and only onto the saved version it was typed on: if the assessment was
saved again meanwhile, the page says the text was not saved and shows it. Nothing is left there once it is saved or
sent again.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import streamlit as st

from views.common import _, plain

PAUSE_MS = 300  # a pause in typing this long sends what was typed (Streamlit's own `live` text input waits 250 ms)
KEEPER = "typed_text_keeper"  # the keeper's fragment
KEEPER_STATE = "typed_text_keeper_state"  # its component's state (the batch that arrived)

# The keeper, in the browser. Installed once per page load (the function runs again on every rerun of app.py, and
# only updates what it was told: the assessment open and the texts the server has saved).
_JS = r"""
export default function (component) {
  const keeper = window.__proofingTypedText ||
    (window.__proofingTypedText = { pending: {}, unseen: {}, timer: null, sent: 0, seen: 0, held: null,
      page: Math.random().toString(36).slice(2), tries: {} });
  keeper.send = component.setTriggerValue;
  keeper.pause = component.data.pause;
  keeper.scope = component.data.scope || "";
  keeper.fields = component.data.fields || [];  // the text fields kept as typed (a multiselect's search is not one)
  keeper.base = component.data.base || "";  // the saved version this page is based on, kept with each copy
  const answered = component.data.seen || {};  // the last batch the server answered, of which page load
  if (answered.page === keeper.page) keeper.seen = Math.max(keeper.seen, answered.seq || 0);
  keeper.data = component.data;
  const STORE = "proofing-typed-text";
  const fnv = (text) => {  // FNV-1a, 32 bits, over UTF-16 code units: the server's digest() of the same text
    let hash = 0x811c9dc5;
    for (let i = 0; i < text.length; i++) { hash ^= text.charCodeAt(i); hash = Math.imul(hash, 0x01000193) >>> 0; }
    return hash.toString(16);
  };
  const held = () => { try { return JSON.parse(localStorage.getItem(STORE) || "{}"); } catch (e) { return {}; } };
  const hold = (all) => { try { localStorage.setItem(STORE, JSON.stringify(all)); } catch (e) {} };
  // What the server has saved is no longer held in the browser (nor anything a day old).
  const saved = component.data.saved || {};
  const all = held();
  let forgotten = false;
  for (const id of Object.keys(all)) {
    const entry = all[id];
    if ((entry.scope === keeper.scope && saved[entry.name] === entry.digest) || Date.now() - entry.at > 86400000) {
      delete all[id];
      forgotten = true;
    }
  }
  if (forgotten) hold(all);
  if (!keeper.installed) {
    keeper.installed = true;
    const nameOf = (field) => {
      const box = field.closest("[class*='st-key-']");
      const found = box ? Array.from(box.classList).find((c) => c.startsWith("st-key-")) : null;
      return found ? found.slice(7) : null;
    };
    // A batch goes when the app is not running a script: one sent mid-run can be overtaken by that run's end.
    const whenIdle = (send) => {
      const app = document.querySelector("[data-testid='stApp']");
      if (!app || app.getAttribute("data-test-script-state") === "notRunning") { send(); return; }
      const watch = new MutationObserver(() => {
        if (app.getAttribute("data-test-script-state") === "notRunning") { watch.disconnect(); send(); }
      });
      watch.observe(app, { attributes: true, attributeFilter: ["data-test-script-state"] });
      setTimeout(() => { watch.disconnect(); send(); }, 10000);  // never later than this
    };
    keeper.post = (texts, again, refresh, bases, now) => {
      keeper.sent += 1;
      const seq = keeper.sent;
      if (!again) Object.assign(keeper.unseen, texts);
      let gone = false;
      const go = () => {
        if (gone) return;
        gone = true;
        keeper.send("typed", {
          scope: keeper.scope, texts: texts, again: again, refresh: refresh, bases: bases || {}, seq: seq,
          page: keeper.page,  // this page load: no two batches are ever alike (nor taken for one another)
        });
      };
      if (now) go(); else whenIdle(go);  // leaving the page altogether: now or never
    };
    keeper.flush = (now) => {
      clearTimeout(keeper.timer);
      keeper.timer = null;
      const batch = keeper.pending;
      if (Object.keys(batch).length === 0) return;
      keeper.pending = {};
      keeper.post(batch, false, false, {}, now === true);
    };
    keeper.release = () => {  // the server has the text: go where the person was going
      const link = keeper.held;
      keeper.held = null;
      clearTimeout(keeper.holding);
      if (!link) return;
      const same = link.isConnected ? link : Array.from(document.querySelectorAll("a[href]"))
        .find((other) => other.href === link.href);  // the page was drawn again meanwhile: the same link
      if (!same) { window.location.assign(link.href); return; }
      keeper.releasing = true;
      try { same.click(); } finally { keeper.releasing = false; }
    };
    document.addEventListener("input", (event) => {
      const field = event.target;
      const text = field instanceof HTMLTextAreaElement ||
        (field instanceof HTMLInputElement && (field.type === "text" || field.type === ""));
      if (!text || field.closest("[data-testid='stForm']")) return;
      const name = nameOf(field);
      if (!name || !keeper.fields.includes(name)) return;
      keeper.pending[name] = field.value;
      const all = held();
      all[keeper.scope + "|" + name] = {
        scope: keeper.scope, name: name, text: field.value, at: Date.now(), digest: fnv(field.value),
        base: keeper.base,
      };
      hold(all);
      clearTimeout(keeper.timer);
      keeper.timer = setTimeout(keeper.flush, keeper.pause);
    }, true);
    // A link to another page of the app (the sidebar, a page link) waits until the server has what was typed:
    // otherwise the page change overtakes it.
    document.addEventListener("click", (event) => {
      if (keeper.releasing) return;
      const link = event.target instanceof Element ? event.target.closest("a[href]") : null;
      if (!link || link.origin !== window.location.origin || link.target === "_blank") return;
      if (Object.keys(keeper.pending).length === 0 && Object.keys(keeper.unseen).length === 0) return;
      event.preventDefault();
      event.stopImmediatePropagation();
      keeper.held = link;
      keeper.flush();
      keeper.holding = setTimeout(keeper.release, 5000);  // the server is not answering: go anyway
    }, true);
    // Back or forward: Streamlit is changing the page now, so what was typed goes once the new page is drawn.
    window.addEventListener("popstate", () => { keeper.changed = true; }, true);
    // Another tab of this browser saved text of the assessment open here: take its save, if nothing is unsaved here.
    window.addEventListener("storage", (event) => {
      if (event.key !== STORE || !keeper.scope || Object.keys(keeper.pending).length > 0) return;
      const mine = (text) => {
        let entries = [];
        try { entries = Object.values(JSON.parse(text || "{}")); } catch (e) {}
        return entries.filter((entry) => entry.scope === keeper.scope).map((entry) => entry.name);
      };
      const after = new Set(mine(event.newValue));
      if (mine(event.oldValue).some((name) => !after.has(name))) keeper.post({}, false, true);
    });
    // Text typed before this keeper was running (the page had just been drawn) is caught up now: a field whose
    // text is not what the server has.
    const fields = component.data.fields || [];
    for (const field of document.querySelectorAll("textarea, input[type='text']")) {
      const name = nameOf(field);
      if (!name || !fields.includes(name) || field.closest("[data-testid='stForm']")) continue;
      const known = saved[name];
      if (known === undefined ? field.value !== "" : known !== fnv(field.value)) {
        field.dispatchEvent(new Event("input", { bubbles: true }));
      }
    }
    const leaving = () => keeper.flush(true);
    window.addEventListener("pagehide", leaving);
    window.addEventListener("beforeunload", leaving);
    document.addEventListener("visibilitychange", () => { if (document.hidden) leaving(); });
  }
  if (keeper.seen >= keeper.sent) keeper.unseen = {};
  if (keeper.held && Object.keys(keeper.unseen).length === 0) setTimeout(keeper.release, 0);
  if (keeper.changed) {  // the page changed under a batch on its way: send it (again) from the page now shown
    keeper.changed = false;
    Object.assign(keeper.pending, keeper.unseen, keeper.pending);
    setTimeout(keeper.flush, 0);
  }
  // Text held from a page that closed before the server had it (a reload, another tab): send it again, once.
  if (keeper.resent !== keeper.scope && keeper.scope) {
    keeper.resent = keeper.scope;
    const again = {};
    const bases = {};
    const fields = component.data.fields || [];
    const all = held();
    for (const [id, entry] of Object.entries(all)) {
      if (entry.scope === keeper.scope && fields.includes(entry.name) && !(entry.name in keeper.pending)) {
        again[entry.name] = entry.text;
        bases[entry.name] = entry.base || "";
        delete all[id];  // sent once: saved now, or said to be refused (the server says which)
      }
    }
    hold(all);
    setTimeout(() => keeper.post(again, true, true, bases), 0);  // and take a save made meanwhile by another tab
  }
}
"""

_component = st.components.v2.component("proofing_typed_text", js=_JS)


@dataclass(frozen=True)
class Field:
    """A text field drawn on this page: its widget key, its own on-change (with its arguments) and its limit."""

    key: str
    on_change: Callable[..., Any] | None
    args: tuple[Any, ...]
    max_chars: int | None


def name_of(key: str) -> str:
    """The name Streamlit gives a widget's key in the page (its ``st-key-`` class), by which the keeper finds it."""
    return re.sub(r"[^a-zA-Z0-9_-]", "-", key.strip())


def digest(text: str) -> str:
    """A short digest of a text (FNV-1a over its UTF-16 code units, as the keeper computes it in the browser), by
    which the keeper learns that the server has a text it holds, without the text being sent back.

    Examples:
        >>> digest("")
        '811c9dc5'
    """
    value = 0x811C9DC5
    units = text.encode("utf-16-le")
    for index in range(0, len(units), 2):
        value = ((value ^ int.from_bytes(units[index : index + 2], "little")) * 0x01000193) & 0xFFFFFFFF
    return f"{value:x}"


def _fields() -> dict[str, Field]:
    return st.session_state.setdefault("typed_fields", {})


def typed() -> dict[str, str]:
    """Text typed into fields and sent by the keeper but not yet committed by the widget itself, by widget key."""
    return st.session_state.setdefault("typed", {})


def value(key: str, default: Any = None) -> Any:
    """A text field's value as typed: the keeper's latest when it has one, else the widget's, else `default`."""
    if key in typed():
        return typed()[key]
    return st.session_state.get(key, default)


def _committed(key: str, on_change: Callable[..., Any] | None, args: tuple[Any, ...]) -> None:
    """The widget committed its value (blur, Enter): that is now the value, then the field's own on-change."""
    typed().pop(key, None)
    if on_change is not None:
        on_change(*args)


def _watched(key: str, on_change: Callable[..., Any] | None, args: Any, max_chars: int | None) -> dict[str, Any]:
    field = Field(key, on_change, tuple(args or ()), max_chars)
    _fields()[name_of(key)] = field
    return {"key": key, "on_change": _committed, "args": (key, on_change, field.args), "max_chars": max_chars}


def text_area(
    label: str,
    *,
    key: str,
    on_change: Callable[..., Any] | None = None,
    args: Any = None,
    max_chars: int | None = None,
    **rest: Any,
) -> Any:
    """``st.text_area`` whose text is kept as it is typed (see the module's docstring); `key` is required."""
    return st.text_area(label, **_watched(key, on_change, args, max_chars), **rest)


def text_input(
    label: str,
    *,
    key: str,
    on_change: Callable[..., Any] | None = None,
    args: Any = None,
    max_chars: int | None = None,
    **rest: Any,
) -> Any:
    """``st.text_input`` whose text is kept as it is typed (see the module's docstring); `key` is required."""
    return st.text_input(label, **_watched(key, on_change, args, max_chars), **rest)


def scope() -> str:
    """What the typed text belongs to: the assessment open in this session ("" when none)."""
    return str(st.session_state.get("assessment_id") or "")


def _arrived(refresh: Callable[[], bool], base: Callable[[], str]) -> None:
    """A batch of typed text from the keeper: keep it, then run each changed field's own on-change once; a batch
    that asks it `refresh`es the page from the store (another tab saved: see the module's docstring)."""
    batch = (st.session_state.get(KEEPER_STATE) or {}).get("typed")
    if not isinstance(batch, dict):
        return
    if isinstance(batch.get("seq"), int):  # the keeper lets a held page change go once its batch is answered
        st.session_state.typed_seen = {"page": str(batch.get("page")), "seq": batch["seq"]}
    if batch.get("scope") != scope() or not isinstance(batch.get("texts"), dict):
        st.rerun(scope=KEEPER)  # typed on another assessment's page: nothing of this one's to keep
    fields = _fields()
    again = batch.get("again") is True
    bases = batch.get("bases") if isinstance(batch.get("bases"), dict) else {}
    handlers: dict[tuple[int, str], Field] = {}
    refused: list[str] = []
    for name, text in batch["texts"].items():
        field = fields.get(name)
        if field is None or not isinstance(text, str):
            continue
        if field.max_chars is not None:
            text = text[: field.max_chars]
        if value(field.key) == text:
            continue
        if again and bases.get(name) != base():
            refused.append(text)  # saved since by someone else: never written over silently
            continue
        if again:  # typed on a page that has closed: this page shows it, so it becomes the widget's value
            typed().pop(field.key, None)
            st.session_state[field.key] = text
        else:  # typed on this page: the browser has it, and setting the widget would overwrite what comes next
            typed()[field.key] = text
        if field.on_change is not None:
            handlers.setdefault((id(field.on_change), repr(field.args)), field)
    for field in handlers.values():
        if field.on_change is not None:
            field.on_change(*field.args)
    if refused:
        st.session_state.notice = _(
            "Text typed in this browser was not saved, because the assessment was saved again before the text "
            "reached it. If it is still wanted, type it again: {text}",
            text=" / ".join(f"“{plain(text)}”" for text in refused),
        )
    if again and (handlers or refused):
        st.rerun(scope="app")  # draw the page again with the text that came back, or what was refused
    if batch.get("refresh") is True and not handlers and refresh():
        st.rerun(scope="app")  # another tab of this browser saved since this page opened: show its save
    st.rerun(scope=KEEPER)  # only the keeper, which tells the browser the batch arrived (the page is not redrawn)


def saved_digests(saved: dict[str, str]) -> dict[str, str]:
    """The digests of texts the server has, by field name, for the keeper to forget its copies of."""
    return {name_of(key): digest(text) for key, text in saved.items() if isinstance(text, str)}


@st.fragment(key=KEEPER)
def keeper(saved: Callable[[], dict[str, str]], refresh: Callable[[], bool], base: Callable[[], str]) -> None:
    """Mount the keeper (app.py, on every page); `saved` gives the texts the server has kept, by widget key,
    `refresh` brings in a newer save made elsewhere when nothing here is unsaved (True when it did), and `base`
    names the saved version the page is based on ("" for none): text kept in the browser from a page on another
    base is never written over the newer save.

    A fragment, so a batch of typing reruns only this, never the page being typed on.
    """
    _component(
        key=KEEPER_STATE,
        data={
            "pause": PAUSE_MS,
            "scope": scope(),
            "base": base(),
            "saved": saved_digests(saved()),
            "fields": sorted(_fields()),
            "seen": st.session_state.get("typed_seen", {}),
        },
        on_typed_change=lambda: _arrived(refresh, base),
        height=0,
    )
