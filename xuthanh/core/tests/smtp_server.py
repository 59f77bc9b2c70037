"""A local SMTP server speaking the part of RFC 5321 that Django's SMTP backend uses (EHLO/HELO, MAIL FROM,
RCPT TO, DATA, RSET, NOOP, QUIT), for tests of the e-mail adapter against a real socket. It keeps what it
receives and can answer like a real server that refuses a recipient (550) or limits its rate (a 451
temporary failure after `rate_limit` messages)."""

from __future__ import annotations

import socketserver
import threading
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message


@dataclass
class Mailbox:
    messages: list[tuple[str, list[str], Message]] = field(default_factory=list)
    refuse: set[str] = field(default_factory=set)  # recipients answered with 550
    rate_limit: int | None = None  # messages accepted before every further one gets 451


class _Handler(socketserver.StreamRequestHandler):
    def reply(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self) -> None:  # noqa: C901 - one small state machine
        box: Mailbox = self.server.mailbox  # type: ignore[attr-defined]
        sender, recipients = "", []
        self.reply("220 localhost ESMTP test server")
        while True:
            raw = self.rfile.readline()
            if not raw:
                return
            line = raw.decode("utf-8", "replace").rstrip("\r\n")
            verb = line[:4].upper()
            if verb in ("EHLO", "HELO"):
                self.wfile.write(b"250-localhost\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n" if verb == "EHLO"
                                 else b"250 localhost\r\n")
            elif verb == "MAIL":
                sender, recipients = line.split(":", 1)[1].split()[0].strip("<>"), []
                self.reply("250 OK")
            elif verb == "RCPT":
                address = line.split(":", 1)[1].strip().strip("<>")
                if address in box.refuse:
                    self.reply("550 5.1.1 No such user")
                elif box.rate_limit is not None and len(box.messages) >= box.rate_limit:
                    self.reply("451 4.7.1 Rate limit exceeded, try again later")
                else:
                    recipients.append(address)
                    self.reply("250 OK")
            elif verb == "DATA":
                if not recipients:
                    self.reply("554 No valid recipients")
                    continue
                self.reply("354 End data with <CR><LF>.<CR><LF>")
                lines = []
                while (chunk := self.rfile.readline()) not in (b".\r\n", b".\n", b""):
                    lines.append(chunk[1:] if chunk.startswith(b"..") else chunk)
                box.messages.append((sender, recipients, message_from_bytes(b"".join(lines))))
                self.reply("250 OK queued")
            elif verb == "RSET":
                sender, recipients = "", []
                self.reply("250 OK")
            elif verb == "NOOP":
                self.reply("250 OK")
            elif verb == "QUIT":
                self.reply("221 Bye")
                return
            else:
                self.reply("502 Command not implemented")


class SmtpServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.mailbox = Mailbox()
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)

    @property
    def port(self) -> int:
        return self.server_address[1]

    def __enter__(self) -> SmtpServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.shutdown()
        self.server_close()
