from django.tasks import task

from distribution import outbox

from . import digest, editions, sending


@task
def fan_out(edition_pk):
    return editions.write_deliveries(edition_pk)


@task
def daily_digest():
    edition = digest.create_digest()
    return edition.pk if edition else None


@task
def send_batch(delivery_ids):
    return outbox.run_batch(delivery_ids, sending.send_emails)
