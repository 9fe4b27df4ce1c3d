"""InsidersFeed settings: one module, every value from the environment with a safe default."""

import json
import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_flag(name, default):
    """`1`/`0` from the environment; anything else (or nothing) keeps the default."""
    return {"1": True, "0": False}.get(os.environ.get(name, ""), default)


DEBUG = os.environ.get("DJANGO_DEBUG", "") == "1"

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Set it to a long random string, "
            "or set DJANGO_DEBUG=1 for local development."
        )
    SECRET_KEY = "insecure-development-key-only-used-with-DJANGO_DEBUG=1"  # noqa: S105

# The absolute origin every canonical link, feed and sitemap is built from.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
if urlsplit(SITE_URL).scheme not in ("http", "https") or not urlsplit(SITE_URL).hostname:
    raise ImproperlyConfigured(f"SITE_URL must be an absolute http(s) origin, got {SITE_URL!r}.")
SITE_NAME = os.environ.get("SITE_NAME", "InsidersFeed")
SITE_DESCRIPTION = os.environ.get(
    "SITE_DESCRIPTION", "Independent reporting and analysis on technology and the people behind it."
)
# The publisher's logo and the social image for pages without their own: a path under static/
# or an absolute URL, with its size in pixels ("WIDTHxHEIGHT").
SITE_LOGO = os.environ.get("SITE_LOGO", "img/logo.png")
SITE_LOGO_SIZE = os.environ.get("SITE_LOGO_SIZE", "512x512")
SITE_DEFAULT_IMAGE = os.environ.get("SITE_DEFAULT_IMAGE", "img/social-default.png")
SITE_DEFAULT_IMAGE_SIZE = os.environ.get("SITE_DEFAULT_IMAGE_SIZE", "1200x630")
SITE_DEFAULT_IMAGE_ALT = os.environ.get("SITE_DEFAULT_IMAGE_ALT", f"The {SITE_NAME} wordmark")
# The publisher's profiles elsewhere (schema.org sameAs), comma-separated absolute URLs.
SITE_SAME_AS = env_list("SITE_SAME_AS")
# Where readers and sources reach the newsroom (NewsMediaOrganization contactPoint).
SITE_CONTACT_EMAIL = os.environ.get("SITE_CONTACT_EMAIL", "")
# AI-use preferences a new site starts with; editors change them in the admin afterwards.
AI_ALLOW_TRAINING = os.environ.get("AI_ALLOW_TRAINING", "0") == "1"
AI_ALLOW_ANSWERS = os.environ.get("AI_ALLOW_ANSWERS", "1") == "1"
AI_ALLOW_USER_FETCH = os.environ.get("AI_ALLOW_USER_FETCH", "1") == "1"
# /llms-full.txt stops at whichever bound it reaches first.
LLMS_FULL_MAX_ARTICLES = int(os.environ.get("LLMS_FULL_MAX_ARTICLES", "500"))
LLMS_FULL_MAX_BYTES = int(os.environ.get("LLMS_FULL_MAX_BYTES", str(5 * 1024 * 1024)))

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS") or [
    urlsplit(SITE_URL).hostname,
    "127.0.0.1",
    "localhost",
]
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS") or [SITE_URL]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "markdownx",
    "axes",
    "reversion",
    "articles",
    "images",
    "pages",
    "live",
]

MIDDLEWARE = [
    # Outermost: redirects and errors (the HTTPS redirect too) say how long they may be kept.
    "pages.middleware.ExplicitCacheControlMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "insidersfeed.security.AdminContentSecurityPolicyMiddleware",
    "insidersfeed.outage.DatabaseOutageMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Cached public pages for readers without a session leave here, with every header above.
    "pages.middleware.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "insidersfeed.urls"
# The site lives at the root unless this says otherwise; no request header can move it.
FORCE_SCRIPT_NAME = os.environ.get("FORCE_SCRIPT_NAME", "")
WSGI_APPLICATION = "insidersfeed.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "articles.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        # A reused connection is checked before each request's first query, so a database
        # restart costs no failed request; 0 saves that round trip.
        conn_health_checks=os.environ.get("DATABASE_CONN_HEALTH_CHECKS", "1") == "1",
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The test database is a file, not memory: the browser tests' live server then gives each
    # request thread its own connection rather than sharing one across threads.
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "test-db.sqlite3")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Page delivery's hot reads (pages/hot_reads.py) are prepared after this many runs on a
    # connection. A pooler in transaction mode without prepared-statement support (PgBouncer
    # before 1.21, or max_prepared_statements = 0) needs "off".
    prepare_threshold = os.environ.get("DATABASE_PREPARE_THRESHOLD", "5")
    DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = (
        None if prepare_threshold == "off" else int(prepare_threshold)
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            # RedisCache that logs and misses when Redis is down, so the site serves uncached.
            "BACKEND": "insidersfeed.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "insidersfeed"),
            "OPTIONS": {
                "socket_connect_timeout": float(os.environ.get("REDIS_TIMEOUT", "0.5")),
                "socket_timeout": float(os.environ.get("REDIS_TIMEOUT", "0.5")),
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses a locked-out login before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Admin login lockout: after AXES_FAILURE_LIMIT failures from one client address, whatever
# usernames it tried (so spraying one password across users is limited too), that address is
# refused (HTTP 429) for AXES_COOLOFF_HOURS. Nobody elsewhere can lock an editor out.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "1"))
AXES_LOCKOUT_PARAMETERS = ["ip_address"]
# The proxies (Varnish, a TLS terminator) whose X-Forwarded-For names the client: addresses
# or networks, comma-separated. Empty: REMOTE_ADDR is the client.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", "")
AXES_CLIENT_IP_CALLABLE = "articles.client_address.client_address"
AXES_RESET_ON_SUCCESS = True
# Bounds on Markdown (body, callouts, FAQ answers, imports, the live preview); see
# articles/markdown_limits.py for why each exists.
MARKDOWN_MAX_CHARS = int(os.environ.get("MARKDOWN_MAX_CHARS", "100000"))
MARKDOWN_MAX_NESTING = int(os.environ.get("MARKDOWN_MAX_NESTING", "16"))
MARKDOWN_MAX_OPEN_BRACKETS = int(os.environ.get("MARKDOWN_MAX_OPEN_BRACKETS", "32"))
MARKDOWN_PREVIEW_SECONDS = float(os.environ.get("MARKDOWN_PREVIEW_SECONDS", "2"))
# PostgreSQL: public pages' queries are cancelled after this many milliseconds (0: no limit).
PUBLIC_STATEMENT_TIMEOUT_MS = int(os.environ.get("PUBLIC_STATEMENT_TIMEOUT_MS", "3000"))

# Page delivery (pages/): the page cache and the Cache-Control it sends to shared caches.
PAGE_CACHE_ALIAS = os.environ.get("PAGE_CACHE_ALIAS", "default")
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "600"))
PAGE_BROWSER_MAX_AGE = int(os.environ.get("PAGE_BROWSER_MAX_AGE", "60"))
PAGE_SHARED_MAX_AGE = int(os.environ.get("PAGE_SHARED_MAX_AGE", "300"))
PAGE_STALE_WHILE_REVALIDATE = int(os.environ.get("PAGE_STALE_WHILE_REVALIDATE", "60"))
PAGE_STALE_IF_ERROR = int(os.environ.get("PAGE_STALE_IF_ERROR", "86400"))
# Pages are compressed once, when stored; 0-11, higher is smaller and slower to store.
PAGE_BROTLI_QUALITY = int(os.environ.get("PAGE_BROTLI_QUALITY", "8"))
# The host's change word (pages/changes.py): "auto" (on for an SQLite file, whose writers share
# one host), "off", or a file path, only where every process that writes runs on this host.
PAGE_CHANGE_SIGNAL = os.environ.get("PAGE_CHANGE_SIGNAL", "auto")
# Names the deploy; unset, a hash of the source and the page settings stands in (pages/release.py).
RELEASE_ID = os.environ.get("RELEASE_ID", "")
# Set only by `make bench`: serves the benchmark's floor view (bench/floor.py) at /__floor__/.
BENCH_FLOOR_FILE = os.environ.get("BENCH_FLOOR_FILE", "")
# Shared HTTP caches to purge by tag on every change: e.g. pages.purging.VarnishPurger and the
# Varnish addresses (comma-separated) it sends PURGE requests to.
CACHE_PURGER = os.environ.get("CACHE_PURGER", "")
CACHE_PURGE_URLS = env_list("CACHE_PURGE_URLS")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = os.environ.get("LANGUAGE_CODE", "en")
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Files browsers ask for at the root by name (favicon.ico, apple-touch-icon.png).
WHITENOISE_ROOT = BASE_DIR / "public"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Serve uploads from the app itself; turn off where a web server or object storage serves them.
SERVE_MEDIA = os.environ.get("DJANGO_SERVE_MEDIA", "1") == "1"
# Media storage is swappable: e.g. MEDIA_STORAGE_BACKEND=storages.backends.s3.S3Storage with
# MEDIA_STORAGE_OPTIONS='{"bucket_name": "...", "endpoint_url": "..."}' (see README).
STORAGES = {
    "default": {
        "BACKEND": os.environ.get(
            "MEDIA_STORAGE_BACKEND", "django.core.files.storage.FileSystemStorage"
        ),
        "OPTIONS": json.loads(os.environ.get("MEDIA_STORAGE_OPTIONS", "{}")),
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Security headers and cookies. HTTPS settings follow SITE_URL; each can be overridden where a
# deployment differs (for example TLS ending at a proxy that already redirects).
SERVES_HTTPS = SITE_URL.startswith("https://")
SECURE_SSL_REDIRECT = env_flag("DJANGO_SECURE_SSL_REDIRECT", SERVES_HTTPS)
# Load balancers probe over plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
# Behind a TLS-terminating proxy, name the header it sets, e.g. X-Forwarded-Proto.
if proxy_ssl_header := os.environ.get("DJANGO_SECURE_PROXY_SSL_HEADER", ""):
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + proxy_ssl_header.upper().replace("-", "_"), "https")
SECURE_HSTS_SECONDS = int(
    os.environ.get("DJANGO_HSTS_SECONDS", 365 * 24 * 3600 if SERVES_HTTPS else 0)
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_flag("DJANGO_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_flag("DJANGO_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = os.environ.get("DJANGO_REFERRER_POLICY", "strict-origin-when-cross-origin")
SECURE_CROSS_ORIGIN_OPENER_POLICY = os.environ.get(
    "DJANGO_CROSS_ORIGIN_OPENER_POLICY", "same-origin"
)
X_FRAME_OPTIONS = os.environ.get("DJANGO_X_FRAME_OPTIONS", "DENY")
SESSION_COOKIE_HTTPONLY = CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_flag("DJANGO_SECURE_COOKIES", SERVES_HTTPS)
# Newsroom sessions end after a working day, and when the browser closes.
SESSION_COOKIE_AGE = int(os.environ.get("DJANGO_SESSION_COOKIE_AGE", 8 * 3600))
SESSION_EXPIRE_AT_BROWSER_CLOSE = env_flag("DJANGO_SESSION_EXPIRE_AT_BROWSER_CLOSE", True)

# Content Security Policy. Public pages carry no inline script or style and no nonce, so a
# cached page never replays one reader's nonce to another. JSON-LD blocks are data
# (type application/ld+json): browsers do not run them and script-src does not apply.
CSP_FRAME_ANCESTORS = env_list("DJANGO_CSP_FRAME_ANCESTORS", CSP.NONE)
CSP_IMG_SRC = [CSP.SELF, *env_list("DJANGO_CSP_IMG_SRC", "https:")]
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": CSP_IMG_SRC,
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": CSP_FRAME_ANCESTORS,
}
# The admin's own policy: Django's admin templates put a nonce on what they load inline.
ADMIN_CSP = {
    **SECURE_CSP,
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
}
# Uploaded files are never documents: no scripts, no plugins, no same-origin powers.
MEDIA_CSP = "default-src 'none'; img-src 'self'; sandbox"

# Largest Markdown editor upload, in bytes, and in decoded pixels (a decompression-bomb guard).
UPLOAD_MAX_BYTES = int(os.environ.get("UPLOAD_MAX_BYTES", 10 * 1024 * 1024))
UPLOAD_MAX_PIXELS = int(os.environ.get("UPLOAD_MAX_PIXELS", 40_000_000))
# Animated images: frames x width x height, checked before any frame is decoded.
UPLOAD_MAX_FRAME_PIXELS = int(os.environ.get("UPLOAD_MAX_FRAME_PIXELS", 50_000_000))
DATA_UPLOAD_MAX_MEMORY_SIZE = UPLOAD_MAX_BYTES + 1024 * 1024

# How long an editor's share link for an unpublished article keeps working, in seconds.
SHARE_LINK_MAX_AGE = int(os.environ.get("SHARE_LINK_MAX_AGE", 7 * 24 * 60 * 60))

# Where the admin lives; moving it off /admin/ keeps casual scanners away.
ADMIN_PATH = os.environ.get("DJANGO_ADMIN_PATH", "admin").strip("/") + "/"

# The editor's preview and upload go to our staff-only views, not to markdownx.urls.
MARKDOWNX_MARKDOWNIFY_FUNCTION = "articles.rendering.render_markdown"
MARKDOWNX_URLS_PATH = f"/{ADMIN_PATH}markdownx/markdownify/"
MARKDOWNX_UPLOAD_URLS_PATH = f"/{ADMIN_PATH}markdownx/upload/"
MARKDOWNX_UPLOAD_MAX_SIZE = UPLOAD_MAX_BYTES
MARKDOWNX_MEDIA_PATH = "uploads/"
MARKDOWNX_SERVER_CALL_LATENCY = 500

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

# Background tasks (django.tasks) and what they deliver: see distribution/ and docs/OPERATIONS.md.
INSTALLED_APPS += ["django_tasks_db", "distribution"]
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}
# How long a worker may hold a delivery before another may take it over (a killed worker's).
DISTRIBUTION_LEASE_SECONDS = int(os.environ.get("DISTRIBUTION_LEASE_SECONDS", "300"))
DISTRIBUTION_BACKOFF_SECONDS = int(os.environ.get("DISTRIBUTION_BACKOFF_SECONDS", "30"))
DISTRIBUTION_MAX_ATTEMPTS = int(os.environ.get("DISTRIBUTION_MAX_ATTEMPTS", "8"))
DISTRIBUTION_TIMEOUT = float(os.environ.get("DISTRIBUTION_TIMEOUT", "10"))
DISTRIBUTION_SWEEP_SECONDS = float(os.environ.get("DISTRIBUTION_SWEEP_SECONDS", "30"))
# Pings, each off unless configured.
INDEXNOW_ENDPOINT = os.environ.get("INDEXNOW_ENDPOINT", "")
INDEXNOW_KEY = os.environ.get("INDEXNOW_KEY", "")
if INDEXNOW_KEY and not (8 <= len(INDEXNOW_KEY) <= 128 and INDEXNOW_KEY.isalnum()):
    raise ImproperlyConfigured("INDEXNOW_KEY must be 8 to 128 letters and digits.")
WEBSUB_HUB_URL = os.environ.get("WEBSUB_HUB_URL", "")
# Webhook receivers should refuse signatures older than this many seconds.
WEBHOOK_REPLAY_WINDOW = int(os.environ.get("WEBHOOK_REPLAY_WINDOW", "300"))

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Workers and web processes share the file: readers never wait for a writer (WAL), a writer
    # takes its lock when its transaction starts (no upgrade deadlock) and waits for another.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }

# The email edition (newsletter/): Django's SMTP settings, from the environment. Without
# EMAIL_HOST nothing is sent anywhere, the sign-up page says the edition is not open, and the
# admin says so.
INSTALLED_APPS += ["newsletter"]
# Read from Django's familiar EMAIL_* variables into MAILERS (Django 6.1's email settings).
EMAIL_CONFIGURED = bool(os.environ.get("EMAIL_HOST", ""))
MAILERS = {
    "default": (
        {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": os.environ["EMAIL_HOST"],
                "port": int(os.environ.get("EMAIL_PORT", "587")),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_flag("EMAIL_USE_TLS", False),
                "timeout": float(os.environ.get("EMAIL_TIMEOUT", "10")),
            },
        }
        if EMAIL_CONFIGURED
        else {"BACKEND": "newsletter.backends.NotConfiguredBackend"}
    )
}
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", f"{SITE_NAME} <edition@{urlsplit(SITE_URL).hostname}>"
)
NEWSLETTER_UNSUBSCRIBE_EMAIL = os.environ.get(
    "NEWSLETTER_UNSUBSCRIBE_EMAIL", f"unsubscribe@{urlsplit(SITE_URL).hostname}"
)
# Sign-up requests allowed per hour for one address, and for one client address.
NEWSLETTER_RATE_PER_ADDRESS = int(os.environ.get("NEWSLETTER_RATE_PER_ADDRESS", "3"))
NEWSLETTER_RATE_PER_CLIENT = int(os.environ.get("NEWSLETTER_RATE_PER_CLIENT", "20"))
