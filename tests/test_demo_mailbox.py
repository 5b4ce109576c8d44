"""The demo's mailbox keeps the e-mail its command sends through trytond"""
import email
import email.policy
import subprocess
import sys
from pathlib import Path

from trytond.modules.aftersales_warranty.tests.tools import free_port

SCRIPT = Path(__file__).resolve().parent.parent / 'scripts' / 'demo_mailbox.py'

SEND = '''
from email.message import EmailMessage
from trytond.sendmail import send_message
message = EmailMessage()
message['Subject'] = '月度管理报表'
message['From'] = 'demo@example.com'
message['To'] = 'vp@example.com'
message.set_content('见附件。')
send_message(message, 'demo@example.com', ['vp@example.com'], strict=True)
'''


def run_mailbox(folder, *command):
    return subprocess.run(
        [sys.executable, str(SCRIPT), str(folder), str(free_port()), '--',
            *command],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        timeout=120)


def test_email_sent_by_the_command_is_kept(tmp_path):
    folder = tmp_path / 'mail'
    result = run_mailbox(folder, sys.executable, '-c', SEND)

    assert result.returncode == 0, result.stdout
    files = list(folder.glob('*.eml'))
    assert len(files) == 1
    message = email.message_from_bytes(
        files[0].read_bytes(), policy=email.policy.default)
    assert message['Subject'] == '月度管理报表'
    assert message.get_content().strip() == '见附件。'
    assert 'e-mail to vp@example.com: 月度管理报表' in result.stdout


def test_command_status_is_returned(tmp_path):
    result = run_mailbox(tmp_path, sys.executable, '-c', 'raise SystemExit(3)')

    assert result.returncode == 3
