"""Run what is on the task queue, in this process, the way `run_worker` would."""

from unittest import mock

from django.test import TestCase
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult


def drain():
    """Run every task that is due, and the tasks they enqueue, until none is left."""
    worker = db_worker.Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )
    # The test's connection holds its never-committed transaction: keep it open, and run what
    # tasks leave for "on commit" as a worker in autocommit mode would.
    with mock.patch.object(db_worker, "close_old_connections", lambda: None):
        for _ in range(100):
            with TestCase.captureOnCommitCallbacks(execute=True):
                worker.run()
            if not DBTaskResult.objects.ready().exists():
                return
