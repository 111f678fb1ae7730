"""A real SMTP server for the tests (aiosmtpd), writing each mail it receives
as JSON: envelope recipients, decoded headers, text and HTML bodies.

    python3 tests/smtp_sink.py PORT DIR [DELAY_S]   (prints "ready"; stops at EOF on stdin)

With DELAY_S, every mail is answered that many seconds late: a slow relay.
AUTH (PLAIN, LOGIN) is offered without TLS and accepts any credentials; a
mail sent after logging in records them as "auth": [login, password].
"""
import asyncio
import email
import email.policy
import json
import logging
import os
import sys
import uuid

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


# aiosmtpd itself sets the deprecated Session.login_data on every log-in, and
# warns about it
logging.getLogger("mail.log").setLevel(logging.ERROR)


def accept_any(server, session, envelope, mechanism, auth_data):
    return AuthResult(success=True, auth_data=auth_data)


class Sink:
    def __init__(self, out, delay):
        self.out = out
        self.delay = delay

    async def handle_DATA(self, server, session, envelope):
        msg = email.message_from_bytes(envelope.content, policy=email.policy.default)
        text = msg.get_body(preferencelist=("plain",))
        html = msg.get_body(preferencelist=("html",))
        record = {
            "rcpt": envelope.rcpt_tos,
            "from": str(msg["From"]),
            "to": str(msg["To"]),
            "subject": str(msg["Subject"]),
            "message_id": str(msg["Message-ID"]),
            "headers": [k.lower() for k in msg.keys()],
            "text": text.get_content() if text else "",
            "html": html.get_content() if html else "",
        }
        if isinstance(session.auth_data, LoginPassword):
            record["auth"] = [
                session.auth_data.login.decode(),
                session.auth_data.password.decode(),
            ]
        name = str(uuid.uuid4())
        tmp = os.path.join(self.out, "." + name)
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump(record, f)
        os.rename(tmp, os.path.join(self.out, name + ".json"))
        if self.delay:
            await asyncio.sleep(self.delay)
        return "250 OK"


def main():
    port, out = int(sys.argv[1]), sys.argv[2]
    delay = float(sys.argv[3]) if len(sys.argv) > 3 else 0.0
    os.makedirs(out, exist_ok=True)
    controller = Controller(
        Sink(out, delay),
        hostname="127.0.0.1",
        port=port,
        authenticator=accept_any,
        auth_require_tls=False,
    )
    controller.start()
    print("ready", flush=True)
    sys.stdin.read()
    controller.stop()


if __name__ == "__main__":
    main()
