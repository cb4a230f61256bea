"""The council's SMTP relay, configured like the database: ``PROOFING_SMTP_URL`` and ``PROOFING_MAIL_FROM``.

``PROOFING_SMTP_URL`` names the relay:

* ``smtp://host:port`` plain SMTP (port 25 when not given); add ``?starttls=true`` to upgrade with STARTTLS;
* ``smtp+starttls://host:port`` SMTP upgraded with STARTTLS (port 587 when not given);
* ``smtps://host:port`` SMTP over TLS from the first byte (port 465 when not given);

with an optional ``user:password@`` before the host (percent-encoded) to log in. ``PROOFING_MAIL_FROM`` is the
address the mail comes from (``Proofing <proofing@council.example>``). Neither set: no mail is sent, and whoever
asked is told so. A relay that cannot be reached or refuses a message is a ``MailError`` in words, never a
traceback.
"""

from __future__ import annotations

import os
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import parseaddr
from types import TracebackType
from urllib.parse import parse_qs, unquote, urlsplit

from pydantic import BaseModel, ConfigDict, Field

from proofing.errors import ProofingError

SMTP_URL = "PROOFING_SMTP_URL"
MAIL_FROM = "PROOFING_MAIL_FROM"
TIMEOUT = 15.0  # seconds: a relay that does not answer is reported, not waited on for ever
_PORTS = {"smtp": 25, "smtp+starttls": 587, "smtps": 465}
_YES = {"1", "true", "yes", "on"}


class MailError(ProofingError):
    """The relay cannot be reached, or refused a message, or is configured wrongly; says so in words."""


class MailSettings(BaseModel):
    """Where and how to hand mail to the relay (parsed from the environment by ``mail_settings``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    host: str = Field(min_length=1)
    port: int = Field(ge=1, le=65535)
    tls: bool = False  # TLS from the first byte (smtps)
    starttls: bool = False
    user: str = ""
    password: str = Field(default="", repr=False)
    sender: str = Field(min_length=3)

    def shown(self) -> str:
        """The relay as a message may name it, without its password."""
        scheme = "smtps" if self.tls else "smtp+starttls" if self.starttls else "smtp"
        user = f"{self.user}@" if self.user else ""
        return f"{scheme}://{user}{self.host}:{self.port}"


def mail_settings(environ: dict[str, str] | None = None) -> MailSettings | None:
    """The relay the environment configures, or None when ``PROOFING_SMTP_URL`` is not set (no mail is sent).

    A URL that cannot be used, or a relay without ``PROOFING_MAIL_FROM``, is a MailError saying what to fix.

    Examples:
        >>> mail_settings({"PROOFING_SMTP_URL": "smtp+starttls://relay.example", "PROOFING_MAIL_FROM": "p@c.example"})
        MailSettings(host='relay.example', port=587, tls=False, starttls=True, user='', sender='p@c.example')
        >>> mail_settings({}) is None
        True
    """
    env = os.environ if environ is None else environ
    url = env.get(SMTP_URL, "").strip()
    if not url:
        return None
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in _PORTS or not parts.hostname:
        raise MailError(
            f"{SMTP_URL} must name the relay as smtp://host:port, smtp+starttls://host:port or smtps://host:port "
            "(with user:password@ before the host to log in)"
        )
    try:
        port = parts.port or _PORTS[scheme]
    except ValueError:
        raise MailError(f"{SMTP_URL} gives a port that is not a number from 1 to 65535") from None
    sender = env.get(MAIL_FROM, "").strip()
    if "@" not in parseaddr(sender)[1]:
        raise MailError(f"{MAIL_FROM} must give the address reminders come from, such as proofing@council.example")
    query = parse_qs(parts.query)
    starttls = scheme == "smtp+starttls" or any(v.lower() in _YES for v in query.get("starttls", []))
    return MailSettings(
        host=parts.hostname,
        port=port,
        tls=scheme == "smtps",
        starttls=starttls,
        user=unquote(parts.username or ""),
        password=unquote(parts.password or ""),
        sender=sender,
    )


def _words(error: BaseException) -> str:
    """What went wrong with the relay, in its own words where it gave any."""
    if isinstance(error, smtplib.SMTPResponseException):
        text = error.smtp_error.decode("utf-8", "replace") if isinstance(error.smtp_error, bytes) else error.smtp_error
        return f"{error.smtp_code} {text}".strip()
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return "; ".join(f"{who}: {code}" for who, (code, _text) in error.recipients.items())
    return str(error) or type(error).__name__


class Relay:
    """One connection to the relay for a run of sends: ``with Relay(settings) as relay: relay.send(message)``."""

    def __init__(self, settings: MailSettings) -> None:
        self.settings = settings
        self._smtp: smtplib.SMTP | None = None

    def __enter__(self) -> Relay:
        """Connect (and STARTTLS and log in, as configured); an unreachable relay is a MailError."""
        s = self.settings
        try:
            if s.tls:
                self._smtp = smtplib.SMTP_SSL(s.host, s.port, timeout=TIMEOUT, context=ssl.create_default_context())
            else:
                self._smtp = smtplib.SMTP(s.host, s.port, timeout=TIMEOUT)
                if s.starttls:
                    self._smtp.starttls(context=ssl.create_default_context())
            if s.user:
                self._smtp.login(s.user, s.password)
        except (OSError, smtplib.SMTPException) as error:
            self._close()
            raise MailError(f"the mail relay {s.shown()} cannot be reached: {_words(error)}") from None
        return self

    def send(self, message: EmailMessage) -> None:
        """Hand one message to the relay (its From is the configured sender); refused is a MailError."""
        if self._smtp is None:
            raise MailError("the mail relay is not connected")
        if "From" not in message:
            message["From"] = self.settings.sender
        try:
            self._smtp.send_message(message)
        except (OSError, smtplib.SMTPException) as error:
            shown = self.settings.shown()
            raise MailError(f"the mail relay {shown} did not take the message: {_words(error)}") from None

    def _close(self) -> None:
        smtp, self._smtp = self._smtp, None
        if smtp is not None:
            try:
                smtp.quit()
            except (OSError, smtplib.SMTPException):
                smtp.close()

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self._close()
