"""The host's change word: lets a process skip the tag-version query while nothing has changed.

Every change writes a new random generation to the database (the tag "*", with the change's
own tags) and, while it still holds that row's lock, the same number into an 8-byte word in a
file every process on the host maps. A process that has read the generation from the database
and found a page current may serve that page again without a query for as long as the word
still holds that generation:

- a change's word is written before its commit and in commit order (the row lock orders
  writers), so a request that starts after a commit finds the word at that change's generation
  or a later one, and can only have a trusted page for it if its database read saw that
  generation committed, that is, after the commit;
- a transaction that rolls back leaves the word at a number the database never holds, so
  nothing is trusted until the next change commits;
- a process that cannot read the word trusts nothing and queries every time.

The word is only shared by processes on one host, so it is on by default only where every
writer must be on the same host: an SQLite database file (its own `-changes` sibling). With
PostgreSQL it is off unless `PAGE_CHANGE_SIGNAL` names a file and every process that writes
(gunicorn, workers, commands) runs on that host.
"""

import logging
import mmap
import os
import struct
import tempfile
from pathlib import Path

from django.conf import settings
from django.db import connection

logger = logging.getLogger(__name__)

GENERATION_TAG = "*"
WORD = struct.Struct("<q")

_mapped = {}  # (pid, path) -> mmap; a forked worker maps the file anew


def signal_path():
    """The word's file, or None where processes on other hosts may write."""
    configured = settings.PAGE_CHANGE_SIGNAL
    if configured == "off":
        return None
    if configured and configured != "auto":
        return Path(configured)
    if connection.vendor != "sqlite":
        return None
    if connection.is_in_memory_db():
        # Only this process can write a memory database: a private file is enough.
        return Path(tempfile.gettempdir()) / f"insidersfeed-{os.getpid()}-changes"
    return Path(f"{connection.settings_dict['NAME']}-changes")


def _word():
    path = signal_path()
    if path is None:
        return None
    key = (os.getpid(), path)
    if key not in _mapped:
        descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o664)
        try:
            if os.fstat(descriptor).st_size < WORD.size:
                os.ftruncate(descriptor, WORD.size)
            _mapped[key] = mmap.mmap(descriptor, WORD.size)
        finally:
            os.close(descriptor)
    return _mapped[key]


def current():
    """The generation the host's word holds, or None when there is none to trust."""
    try:
        word = _word()
    except OSError as error:
        logger.warning("Change signal unreadable; every page lookup queries: %r", error)
        return None
    return None if word is None else WORD.unpack_from(word)[0]


def announce(generation):
    """Write a change's generation into the word. Called while the change holds the generation
    row's lock, which orders writers; a failure raises, because readers would otherwise trust
    pages the change makes stale."""
    word = _word()
    if word is not None:
        WORD.pack_into(word, 0, generation)
