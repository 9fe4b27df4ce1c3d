"""What the newsroom's models announce beyond Django's own model signals.

Bulk writes (`QuerySet.update`, `bulk_create`, `bulk_update`) send no `post_save`; the models'
querysets send `rows_changed` instead, inside the write's transaction, so whatever depends on
the rows (the page-delivery app, for one) hears of every change, however it was made.
"""

from django.dispatch import Signal

# sender: the model; pks: the primary keys of the rows written. Sent before and after an update,
# so that a row moved to another section is known by both its old and its new values.
rows_changed = Signal()
