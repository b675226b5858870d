"""Balise settings, read from the environment.

Safe production defaults: DEBUG is off, cookies are secure, and a SECRET_KEY must be given.
`make run` is the only place that sets development defaults (BALISE_DEV=1).
"""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


DEV = env_bool("BALISE_DEV")
DEBUG = env_bool("DEBUG", default=False)
# pytest (8.2+) sets PYTEST_VERSION: tests never need a SECRET_KEY or Argon2.
TESTING = env_bool("BALISE_TESTING") or "PYTEST_VERSION" in os.environ

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if DEV or DEBUG or TESTING:
        SECRET_KEY = "balise-development-only-key-never-use-in-production"
    else:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured("SECRET_KEY must be set (or BALISE_DEV=1 for development).")

ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "").split(",") if h.strip()]
if DEV or DEBUG or TESTING:
    # ".localhost": every space's local name (fwb.localhost) resolves to this machine, no /etc/hosts.
    ALLOWED_HOSTS += ["127.0.0.1", "localhost", ".localhost", "testserver", "[::1]"]
CSRF_TRUSTED_ORIGINS = [o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tasks",
    "django_tasks_db",
    "balise.i18n",
    "balise.spaces",
    "balise.site",
    "balise.accounts",
    "balise.content",
    "balise.evaluation",
    "balise.learning",
    "balise.organizations",
    "balise.campaigns",
    "balise.certification",
]

MIDDLEWARE = [
    # First, so that it sees every answer: any error under /api/ in the API's JSON shape (ninja's
    # 405, Django's own 400/404/500 pages).
    "balise.site.middleware.ApiErrorMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "balise.spaces.middleware.SpaceMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "balise.site.middleware.UserLanguageMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Before any view (and CSRF's check, which reads the form): text no database can hold is refused.
    "balise.site.middleware.TextInputMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "balise.site.middleware.ContentSecurityPolicyMiddleware",
]

ROOT_URLCONF = "balise.site.urls"
WSGI_APPLICATION = "balise.site.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "balise.spaces.context_processors.space",
            ],
        },
    }
]

# --- Database: SQLite (WAL) by default, PostgreSQL when DATABASE_URL is set.
DATA_DIR = Path(os.environ.get("BALISE_DATA_DIR", PROJECT_DIR / "var"))
# The Ed25519 key that signs certificates' credentials (PEM, created on first use if absent):
# back it up with the database; its public half is served at /.well-known/balise-issuer.json.
BALISE_CREDENTIAL_KEY_FILE = Path(os.environ.get("BALISE_CREDENTIAL_KEY_FILE", DATA_DIR / "credential-issuer-ed25519.pem"))
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
    if DATABASES["default"]["ENGINE"].endswith("postgresql"):
        DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
        # Server-side binding lets psycopg prepare the statements a connection runs again and
        # again (the answer page's), so PostgreSQL stops planning them on every request.
        DATABASES["default"].setdefault("OPTIONS", {})["server_side_binding"] = True
else:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "balise.sqlite3",
            "OPTIONS": {
                # WAL lets readers work while one writer commits; IMMEDIATE avoids the
                # "database is locked" upgrade deadlock between two writers.
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                    "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=20000;"
                ),
            },
            # A file, not memory, for tests too: concurrent requests then behave as in production.
            "TEST": {"NAME": DATA_DIR / f"test-balise-{os.getpid()}.sqlite3"},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache: local memory by default, Redis when REDIS_URL is set.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
    # Sessions are read from Redis on every request and written through to the database,
    # so a Redis restart logs nobody out.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Background work: django.tasks API, database backend by default.
TASKS = {"default": {"BACKEND": os.environ.get("BALISE_TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}
if (TESTING or DEV) and not os.environ.get("BALISE_TASKS_BACKEND"):
    # `make run` and the tests run tasks at once; production queues them for `db_worker`.
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# --- Accounts
AUTH_USER_MODEL = "accounts.User"
PASSWORD_HASHERS = [
    "balise.accounts.hashers.BaliseArgon2PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if TESTING:
    # Argon2 is deliberately slow; tests create many users.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "balise.accounts.validators.VariedCharactersValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "evaluation:competences"
LOGOUT_REDIRECT_URL = "site:home"
AUTHENTICATION_BACKENDS = ["balise.accounts.backends.ThrottledModelBackend"]
LOGIN_RATE_LIMIT = int(os.environ.get("BALISE_LOGIN_RATE_LIMIT", "5"))  # failures per account and address pair, and window
# Failures per network address and window: high, because a school shares one address.
LOGIN_RATE_LIMIT_PER_ADDRESS = int(os.environ.get("BALISE_LOGIN_RATE_LIMIT_PER_ADDRESS", "100"))
# How many reverse proxies (that append to X-Forwarded-For) stand before Balise; 0: none.
BALISE_TRUSTED_PROXY_COUNT = int(os.environ.get("BALISE_TRUSTED_PROXY_COUNT", "0"))
# Failures per account from all addresses together: far above the per-pair limit, so that a
# stranger cannot lock the owner out from one or a few addresses.
LOGIN_RATE_LIMIT_PER_ACCOUNT = int(os.environ.get("BALISE_LOGIN_RATE_LIMIT_PER_ACCOUNT", "50"))
LOGIN_RATE_WINDOW_SECONDS = int(os.environ.get("BALISE_LOGIN_RATE_WINDOW", "900"))
# Sign-ups per network address and hour (a class signs up together behind one address).
SIGNUP_RATE_LIMIT_PER_ADDRESS = int(os.environ.get("BALISE_SIGNUP_RATE_LIMIT_PER_ADDRESS", "30"))

# --- Email (console by default)
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Balise <no-reply@balise.invalid>")

# --- Languages: French by default, English, and French as spoken in Belgium.
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français"), ("en", "English"), ("fr-be", "Français (Belgique)")]
CSRF_FAILURE_VIEW = "balise.site.views.csrf_failure"
LOCALE_PATHS = [BASE_DIR.parent / "i18n" / "locale"]

# Files operators upload (space logos): back them up with the database (docs/operating.md).
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", DATA_DIR / "media"))
USE_I18N = True
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/Paris")
USE_TZ = True

# --- Static files
STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", PROJECT_DIR / "staticfiles"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if (DEV or TESTING or DEBUG)
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# In development and tests, WhiteNoise serves files straight from the apps' static folders.
WHITENOISE_USE_FINDERS = DEV or TESTING or DEBUG
WHITENOISE_AUTOREFRESH = DEV or DEBUG
CONTENT_PACK_DIR = Path(os.environ.get("BALISE_CONTENT_DIR", PROJECT_DIR / "content"))

# --- Security: safe by default; relaxed only for local development over plain HTTP.
SECURE_TLS = not (DEV or TESTING or env_bool("BALISE_INSECURE_HTTP"))
SESSION_COOKIE_SECURE = SECURE_TLS
CSRF_COOKIE_SECURE = SECURE_TLS
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if SECURE_TLS:
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)

# --- Evaluation settings (waiting periods in days, as in the reference platform)
BALISE_IMPROVE_AFTER_DAYS = float(os.environ.get("BALISE_IMPROVE_AFTER_DAYS", "4"))
BALISE_RETRY_AFTER_DAYS = float(os.environ.get("BALISE_RETRY_AFTER_DAYS", "4"))
BALISE_RESET_AFTER_DAYS = float(os.environ.get("BALISE_RESET_AFTER_DAYS", "7"))
BALISE_MAX_REACHABLE_LEVEL = int(os.environ.get("BALISE_MAX_REACHABLE_LEVEL", "6"))
BALISE_POSITIONING_STRATEGY = os.environ.get("BALISE_POSITIONING_STRATEGY", "default")
# Seconds of network latency forgiven on a timed challenge before the answer is "timed out".
BALISE_TIMER_GRACE_SECONDS = float(os.environ.get("BALISE_TIMER_GRACE_SECONDS", "2"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
