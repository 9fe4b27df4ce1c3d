"""The release id: changes with any deploy that can change how a page looks.

RELEASE_ID from the environment when the deploy names its release; otherwise a hash of the
source (every .py file of the project's apps, the templates, the static manifest) and of every
setting a page reads. Stored pages and cache entries of another release are never served.
"""

import hashlib
import json
from functools import cache
from pathlib import Path

from django.conf import settings
from django.core.signals import setting_changed

PROJECT_APPS = ("articles", "pages", "live", "images", "insidersfeed")
# Settings a rendered page reads, besides every SITE_* setting.
PAGE_SETTINGS = (
    "TIME_ZONE", "LANGUAGE_CODE", "USE_TZ", "STATIC_URL", "MEDIA_URL", "ADMIN_PATH",
    "FORCE_SCRIPT_NAME", "PAGE_BROWSER_MAX_AGE", "PAGE_SHARED_MAX_AGE", "WEBSUB_HUB_URL",
)  # fmt: skip


def _source_files():
    base = Path(settings.BASE_DIR)
    folders = [base / app for app in PROJECT_APPS]
    folders += [Path(folder) for engine in settings.TEMPLATES for folder in engine["DIRS"]]
    files = {path for folder in folders if folder.is_dir() for path in folder.rglob("*")}
    files = {path for path in files if path.suffix in (".py", ".html", ".txt", ".xml", ".md")}
    files.add(Path(settings.STATIC_ROOT) / "staticfiles.json")
    return sorted(path for path in files if path.is_file() and "__pycache__" not in path.parts)


@cache
def _source_digest():
    digest = hashlib.sha256()
    base = Path(settings.BASE_DIR)
    for path in _source_files():
        name = path.relative_to(base) if path.is_relative_to(base) else path
        digest.update(str(name).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _settings_read_by_pages():
    names = sorted(name for name in dir(settings) if name.startswith("SITE_")) + list(PAGE_SETTINGS)
    return json.dumps({name: getattr(settings, name, None) for name in names}, default=str)


@cache
def release_id():
    named = getattr(settings, "RELEASE_ID", "")
    digest = hashlib.sha256(f"{named}\0{_settings_read_by_pages()}".encode())
    if not named:
        digest.update(_source_digest().encode())
    return digest.hexdigest()[:24]


def _forget(**kwargs):
    release_id.cache_clear()


setting_changed.connect(_forget, dispatch_uid="pages.release")
