"""Panels of the facilitator's workshop page (views/workshop.py): how the room joins, the numbered findings while
the room scores, and the views to hear after the reveal.

How to join: the join link's base is the configured public address (proofing.public_address: PROOFING_PUBLIC_URL,
else sign-in's redirect_uri, else this browser's address). In local mode the app serves this computer only, so the
panel says plainly that phones and other computers cannot join, and shows no QR code that could not work.
"""

from __future__ import annotations

import html
import io
from collections.abc import Callable, Mapping

import segno
import streamlit as st

from proofing.public_address import JoinAddress, browser_base, configured_public_url, join_address
from proofing.workshop import FindingSpread, Workshop
from proofing.workshop_store import shown
from views import signin
from views.common import _, n_, plain

VerdictNames = Mapping[str, str]


def qr_png(link: str) -> bytes:
    """A QR code of `link` as a PNG, big enough to scan from the back of a room."""
    buffer = io.BytesIO()
    segno.make(link).save(buffer, kind="png", scale=10, border=4)
    return buffer.getvalue()


def _redirect_uri() -> str | None:
    """Sign-in's ``[auth] redirect_uri`` from the secrets, if any (a fault there is require_user's to show)."""
    try:
        auth = signin.secrets_mapping().get("auth")
    except Exception:  # a secrets.toml that cannot be read is reported by the sign-in, not here
        return None
    uri = auth.get("redirect_uri") if isinstance(auth, Mapping) else None
    return uri if isinstance(uri, str) else None


def _browser() -> str | None:
    """The app's address as this browser reached it (without this page's own path)."""
    found = browser_base(st.context.url, "workshop")
    if found:
        return found
    host = st.context.headers.get("Host")
    if host:
        return browser_base(f"{st.context.headers.get('X-Forwarded-Proto', 'http')}://{host}", "workshop")
    return None


def address(local_mode: bool) -> JoinAddress:
    """Where this app's join links point, and whether people elsewhere can follow them."""
    return join_address(
        local_mode=local_mode, configured=configured_public_url(), redirect_uri=_redirect_uri(), browser=_browser()
    )


def join_panel(workshop: Workshop, local_mode: bool) -> None:
    """The join code, and the link and QR code when people elsewhere can follow them; large enough to read and
    scan from the back of the room. Where they cannot (local mode, or an address of this computer), it says so."""
    where = address(local_mode)
    link = where.link(f"join?code={workshop.code}")
    label = html.escape(_("Join code"), quote=True)
    code = f'<div class="ws-code" aria-label="{label}">{html.escape(shown(workshop))}</div>'
    if not where.reachable:
        st.markdown("**" + _("Join on the Join a workshop page of this computer, with the code:") + "**")
        st.html(code)
        if where.local_mode:
            st.warning(
                _(
                    "Local mode: this app serves this computer only, so phones and other computers cannot join, and "
                    "there is no QR code to scan. People can join in another browser window on this computer. To let "
                    "the room join from their own phones and computers, run proofing with sign-in on an address they "
                    "can reach, and set PROOFING_PUBLIC_URL to it."
                )
            )
        else:
            st.warning(
                _(
                    "The join link points at this computer ({address}), so phones and other computers cannot follow "
                    "it, and there is no QR code to scan. Set PROOFING_PUBLIC_URL to the address people reach the "
                    "app at.",
                    address=where.base,
                )
            )
        st.markdown("**" + _("On this computer only:") + "**")
        st.html(f'<p class="ws-link">{html.escape(link)}</p>')
    else:
        left, right = st.columns([3, 2])
        with left:
            st.markdown("**" + _("Join at the link, or on the Join a workshop page with the code:") + "**")
            st.html(code)
            st.html(f'<p class="ws-link">{html.escape(link)}</p>')
        with right:
            st.image(
                qr_png(link),
                caption=_("QR code of the join link, {link}: scan it with a phone camera to join", link=link),
                width=360,
            )
    if where.refused:
        st.warning(
            plain(
                _(
                    "PROOFING_PUBLIC_URL is set to {value}, which is not a web address (http:// or https:// and a "
                    "host name), so it is not used.",
                    value=where.ignored,
                )
            )
        )
    elif where.local_mode and where.ignored:
        st.info(
            plain(
                _(
                    "PROOFING_PUBLIC_URL is set to {value}, but local mode serves this computer only, so it is not "
                    "used.",
                    value=where.ignored,
                )
            )
        )


def findings_list(workshop: Workshop, title_of: Callable[[str, str], str]) -> None:
    """The findings the room scores, by their numbers, without the rules' scores: the projector is the room's, and
    a score on it would anchor everyone's before they give their own."""
    st.header(_("The findings the room scores"))
    st.caption(
        _(
            "Each keeps its number to the record. The rules' scores stay hidden, here and on the participants' "
            "pages, until you reveal the room's scores, so that nobody's own score is anchored on them."
        )
    )
    numbers = workshop.numbers
    lines = [f"{numbers[f.rule]}\\. {plain(title_of(f.rule, f.title))}" for f in workshop.findings]
    st.markdown("  \n".join(lines))


def why_heard(apart: bool, minority: bool) -> str:
    """Why a view is one to hear, in a few words ("" for a comment from someone close to the room)."""
    if apart and minority:
        return _("far from the room's middle, and a minority view")
    if apart:
        return _("far from the room's middle")
    if minority:
        return _("a minority view")
    return ""


def views_to_hear(spread: FindingSpread, verdict_names: VerdictNames) -> None:
    """Every comment on a finding, and every view far from the room's middle or in a minority, those first."""
    if not spread.to_hear:
        return
    st.markdown(
        "**"
        + n_(
            "Views to hear ({n}): every comment, those far from the room's middle or in a minority first",
            "Views to hear ({n}): every comment, those far from the room's middle or in a minority first",
            len(spread.to_hear),
        )
        + "**"
    )
    for heard in spread.to_hear:
        score = heard.score
        line = _(
            "{who} ({organisation}) scored {score} (likelihood {likelihood}, severity {severity}), {view}: {comment}",
            who=score.name,
            organisation=score.organisation,
            score=score.score,
            likelihood=score.likelihood,
            severity=score.severity,
            view=verdict_names[score.verdict].lower(),
            comment=score.comment or _("no comment"),
        )
        why = why_heard(heard.apart, heard.minority)
        st.markdown("- " + plain(f"{line} ({why})" if why else line))
