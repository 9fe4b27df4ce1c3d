"""Run what is on the task queue, in this process, the way `run_worker` would."""

from unittest import mock

from django_tasks_db.management.commands import db_worker


def drain():
    """Run every task that is due, including retries that become due at once, then return."""
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
    # The test's connection holds its never-committed transaction: keep it open.
    with mock.patch.object(db_worker, "close_old_connections", lambda: None):
        worker.run()
