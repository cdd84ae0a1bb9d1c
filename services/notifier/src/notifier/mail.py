"""E-mail: one message per event, sent through SMTP or, offline, dropped into a local Maildir."""

import mailbox
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path
from typing import Protocol

from shared.messages import DomainEvent


class Mailer(Protocol):
    """Where composed messages go."""

    def send(self, message: EmailMessage) -> None: ...


def link_for(event: DomainEvent, app_url: str) -> str:
    """Where the e-mail points: the event's own URL if it has one, else the notification."""
    if isinstance(event.data.get("url"), str) and event.data["url"].startswith(("http://", "https://")):
        return event.data["url"]
    base = app_url.rstrip("/") + "/notifications"
    return f"{base}/{event.notification_id}" if event.notification_id else base


def compose(event: DomainEvent, mail_from: str, app_url: str) -> EmailMessage:
    """Subject is the title, the text is the body and a link; the Message-ID is derived from the event id."""
    message = EmailMessage()
    message["From"] = mail_from
    message["To"] = event.email
    message["Subject"] = event.title
    message["Date"] = formatdate(localtime=False, usegmt=True)
    # The same event always gets the same Message-ID, so a receiving system can spot a copy.
    message["Message-ID"] = make_msgid(idstring=event.id.replace("-", ""), domain="notifier.invalid")
    message["X-Event-Id"] = event.id
    message["X-Event-Type"] = event.type
    message.set_content(f"{event.body}\n\n{link_for(event, app_url)}\n")
    return message


class SmtpMailer:
    """smtplib over plain SMTP, STARTTLS or implicit TLS, with optional login."""

    def __init__(
        self,
        host: str,
        port: int,
        starttls: bool = False,
        use_ssl: bool = False,
        username: str = "",
        password: str = "",
        timeout: float = 30.0,
    ):
        self._host, self._port = host, port
        self._starttls, self._ssl = starttls, use_ssl
        self._username, self._password = username, password
        self._timeout = timeout

    def send(self, message: EmailMessage) -> None:
        context = ssl.create_default_context()
        if self._ssl:
            client = smtplib.SMTP_SSL(self._host, self._port, timeout=self._timeout, context=context)
        else:
            client = smtplib.SMTP(self._host, self._port, timeout=self._timeout)
        with client:
            if self._starttls:
                client.starttls(context=context)
            if self._username:
                client.login(self._username, self._password)
            client.send_message(message)


class MaildirMailer:
    """The offline default: every message becomes a file under `path/new` (open it with any mail reader)."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._box = mailbox.Maildir(self.path, create=True)

    def send(self, message: EmailMessage) -> None:
        self._box.add(message)
