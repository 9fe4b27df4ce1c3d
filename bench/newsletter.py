"""The email edition at 10,000 subscribers: how long the editor's save takes, and the send rate.

A fresh PostgreSQL database, 10,000 confirmed subscribers, a real SMTP server (aiosmtpd) on
loopback and real `run_worker` processes. The save is an editor publishing a story chosen for
email (article save + commit, with the edition's fan-out queued, not run). The send rate is
messages accepted by the SMTP server per second, from the commit to the last message.
Knobs: BENCH_SUBSCRIBERS (10000), BENCH_MAIL_WORKERS (2), BENCH_SEND_SECONDS (0: all).
Run: .venv/bin/python bench/newsletter.py
"""

import os
import subprocess
import sys
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))

from tests.servers import PROJECT as ROOT  # noqa: E402 - the project root goes on the path first
from tests.servers import app_environment, manage, postgres_database  # noqa: E402
from tests.smtp import smtp_server  # noqa: E402

SUBSCRIBERS = int(os.environ.get("BENCH_SUBSCRIBERS", "10000"))
WORKERS = int(os.environ.get("BENCH_MAIL_WORKERS", "2"))
# Stop after this many seconds of sending and report the rate so far (0: wait for every email).
WINDOW = float(os.environ.get("BENCH_SEND_SECONDS", "0"))

SEED = f"""
from newsletter.models import Subscriber
from articles.models import Article, Section
Subscriber.objects.bulk_create(
    [Subscriber(email=f"r{{n}}@example.org", status="confirmed") for n in range({SUBSCRIBERS})],
    batch_size=2000,
)
section = Section.objects.create(name="City", slug="city")
Article.objects.create(title="Chosen for email", standfirst="One line.", body="Body " * 400,
                       section=section, status="draft")
"""

PUBLISH = """
import time
from django.db import transaction
from articles.models import Article
from newsletter.models import Edition
article = Article.objects.get()
Edition.objects.create(key=f"article:{article.pk}", article=article, subject=article.title)
article.status = "published"
started = time.perf_counter()
with transaction.atomic():
    article.save()
print(f"{(time.perf_counter() - started) * 1000:.1f}")
"""


def main():
    with postgres_database() as url, smtp_server() as inbox:
        env = app_environment(
            DATABASE_URL=url, EMAIL_HOST="127.0.0.1", EMAIL_PORT=inbox.port, LOG_LEVEL="WARNING"
        )
        manage(env, "migrate", "--no-input", "-v0")
        manage(env, "shell", "-c", SEED)
        workers = [
            subprocess.Popen(
                [sys.executable, "manage.py", "run_worker", "--interval", "0.2", "-v0"],
                cwd=ROOT,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            for _ in range(WORKERS)
        ]
        try:
            committed = time.monotonic()
            save_ms = manage(env, "shell", "-c", PUBLISH).stdout.strip().splitlines()[-1]
            first = None
            while len(inbox.envelopes) < SUBSCRIBERS:
                if first is None and inbox.envelopes:
                    first = time.monotonic()
                if first and WINDOW and time.monotonic() - first > WINDOW:
                    break
                time.sleep(0.2)
            done = time.monotonic()
        finally:
            for worker in workers:
                worker.send_signal(2)
                worker.wait(30)
        recipients = {envelope.rcpt_tos[0] for envelope in inbox.envelopes}
        elapsed = done - committed
        print(f"subscribers: {SUBSCRIBERS}, workers: {WORKERS}")
        print(f"editor's save (article save + commit): {save_ms} ms")
        sent = len(inbox.envelopes)
        if sent:
            print(f"first email after: {first - committed:.1f} s; {sent} sent in {elapsed:.1f} s")
            print(f"send rate: {sent / (done - first):.0f} messages/s after the first")
        print(f"distinct recipients: {len(recipients)}, messages: {len(inbox.envelopes)}")


if __name__ == "__main__":
    main()
