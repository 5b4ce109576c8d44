#!/usr/bin/env python3
"""Run a command with the demo's mailbox: an SMTP server on the loopback
that keeps each e-mail it receives as a file, so that the demo's
notifications (complaint reminders, the monthly workbook...) can be read
instead of failing on a missing mail server.

    scripts/demo_mailbox.py FOLDER PORT -- COMMAND [ARGUMENT...]

The command runs with trytond's e-mail set to the mailbox
(TRYTOND_EMAIL__URI); each e-mail becomes FOLDER/<time>-<number>.eml and
a line on the standard output. The mailbox stops with the command, whose
exit status it returns.
"""
import argparse
import email
import email.policy
import itertools
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from aiosmtpd.controller import Controller


class Mailbox:
    "Keep each message received as an .eml file of folder"

    def __init__(self, folder):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.numbers = itertools.count(1)

    async def handle_DATA(self, server, session, envelope):
        name = f'{time.strftime("%Y%m%d-%H%M%S")}-{next(self.numbers)}.eml'
        path = self.folder / name
        path.write_bytes(envelope.original_content)
        message = email.message_from_bytes(
            envelope.original_content, policy=email.policy.default)
        print(f"e-mail to {', '.join(envelope.rcpt_tos)}: "
            f"{message['Subject']} ({path})", flush=True)
        return '250 OK'


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('folder')
    parser.add_argument('port', type=int)
    parser.add_argument('command', nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ['--'] else args.command
    if not command:
        parser.error("a command to run is missing")

    controller = Controller(
        Mailbox(args.folder), hostname='127.0.0.1', port=args.port)
    controller.start()
    env = dict(os.environ,
        TRYTOND_EMAIL__URI=f'smtp://127.0.0.1:{args.port}')
    try:
        process = subprocess.Popen(command, env=env)
        # Ctrl-C reaches the command too (same process group) and SIGTERM
        # is passed on: wait for the command to stop, not leave it behind
        signal.signal(signal.SIGTERM, lambda *a: process.terminate())
        while True:
            try:
                status = process.wait()
                break
            except KeyboardInterrupt:
                continue
    finally:
        controller.stop()
    return status if status >= 0 else 128 - status


if __name__ == '__main__':
    sys.exit(main())
