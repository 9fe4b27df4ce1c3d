"""One worker's cost per email, without the queue: messages a second, worker CPU and queries.

A fresh PostgreSQL database with BENCH_SUBSCRIBERS (500) confirmed subscribers and a real SMTP
server (aiosmtpd) on loopback; each round queues a new edition and sends all of it in batches
of 50 through `outbox.run_batch`, as the `send_batch` task does, in one `manage.py shell`.
Pass other checkouts of the project to compare them with this one round by round (the machine
is shared, so compare within a run; the best of the rounds is the least disturbed):

    .venv/bin/python bench/newsletter_batches.py /tmp/main-checkout
"""

import os
import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))

from tests.servers import app_environment, manage, postgres_database  # noqa: E402
from tests.smtp import smtp_server  # noqa: E402

SUBSCRIBERS = int(os.environ.get("BENCH_SUBSCRIBERS", "500"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "4"))

SEED = f"""
from articles.models import Article, Section
from newsletter.models import Subscriber
Subscriber.objects.bulk_create(
    [Subscriber(email=f"r{{n}}@example.org", status="confirmed") for n in range({SUBSCRIBERS})]
)
section = Section.objects.create(name="City", slug="city")
Article.objects.create(title="Chosen for email", standfirst="One line.", body="Body " * 400,
                       section=section, status="published")
"""

SEND = """
import time, uuid
from django.db import connection
from django.test.utils import CaptureQueriesContext
from articles.models import Article
from distribution import outbox
from distribution.models import Delivery
from newsletter import editions, sending
from newsletter.models import Edition
edition = Edition.objects.create(key=f"bench:{uuid.uuid4().hex}", article=Article.objects.get(),
                                 subject="Bench")
Edition.objects.filter(pk=edition.pk).update(status="queued")
editions.write_deliveries(edition.pk)
ids = list(Delivery.objects.filter(kind="email", payload__edition=edition.pk)
           .order_by("pk").values_list("pk", flat=True))
wall, cpu = time.perf_counter(), time.process_time()
with CaptureQueriesContext(connection) as queries:
    for start in range(0, len(ids), 50):
        outbox.run_batch(ids[start:start + 50], sending.send_emails)
wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
print("RESULT", len(ids) / wall, cpu * 1000 / len(ids), len(queries) / len(ids))
"""


def send_round(project, env):
    output = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", SEND],
        cwd=project,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    [line] = [line for line in output.splitlines() if line.startswith("RESULT")]
    return tuple(float(number) for number in line.split()[1:])


def main():
    projects = [PROJECT, *(Path(path).resolve() for path in sys.argv[1:])]
    with postgres_database() as url, smtp_server() as inbox:
        env = app_environment(
            DATABASE_URL=url, EMAIL_HOST="127.0.0.1", EMAIL_PORT=inbox.port, LOG_LEVEL="WARNING"
        )
        manage(env, "migrate", "--no-input", "-v0")
        manage(env, "shell", "-c", SEED)
        results = {project: [] for project in projects}
        for number in range(ROUNDS):
            for project in projects:
                rate, cpu, queries = send_round(project, env)
                results[project].append((rate, cpu, queries))
                print(
                    f"round {number + 1} {project}: {rate:.0f} messages/s, "
                    f"{cpu:.2f} ms worker CPU and {queries:.2f} queries per message",
                    flush=True,
                )
        print(f"{SUBSCRIBERS} messages a round, {ROUNDS} rounds; best of the rounds:")
        for project, rows in results.items():
            rate = max(row[0] for row in rows)
            cpu = min(row[1] for row in rows)
            print(f"{project}: {rate:.0f} messages/s, {cpu:.2f} ms CPU, {rows[0][2]:.2f} queries")


if __name__ == "__main__":
    main()
