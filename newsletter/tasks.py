from django.tasks import task

from . import digest, editions


@task
def fan_out(edition_pk):
    return editions.write_deliveries(edition_pk)


@task
def daily_digest():
    edition = digest.create_digest()
    return edition.pk if edition else None
