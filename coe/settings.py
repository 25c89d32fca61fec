"""Roundtable settings.

Everything that differs between deployments comes from the environment. With no
environment at all, Roundtable runs on the embedded default: a SQLite file in the
project folder, Celery tasks run inline, a local-memory cache and console e-mail.
A malformed value stops the start with a message naming the variable.
"""

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlparse

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false (got {raw!r}).")


def env_int(name: str, default: int, *, minimum: int = 0) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number (got {raw!r}).") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum} (got {value}).")
    return value


RATE_PERIODS = {"s", "sec", "second", "m", "min", "minute", "h", "hour", "d", "day"}


def env_rate(name: str, default: str) -> str:
    """A DRF throttle rate such as `10/min`. DRF itself would only fail on the first
    throttled request; checked here so that a typo stops the start instead."""
    raw = os.environ.get(name, "").strip() or default
    count, _, period = raw.partition("/")
    if not count.isdigit() or int(count) < 1 or period not in RATE_PERIODS:
        raise ImproperlyConfigured(
            f"{name} must be a rate like 10/min (a number, then s, min, hour or day; got {raw!r})."
        )
    return raw


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def database_from_env(name: str) -> dict:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": BASE_DIR / "roundtable.sqlite3",
            "OPTIONS": {"timeout": 20},
        }
    scheme = urlparse(raw).scheme
    if scheme not in {"postgres", "postgresql", "pgsql", "sqlite"}:
        raise ImproperlyConfigured(
            f"{name} must be a postgres://… or sqlite:///… URL (got scheme {scheme!r})."
        )
    try:
        # Persistent connections, checked before their first use in each request: a
        # connection the server dropped (restart, failover, idle kill) is replaced
        # instead of failing the request that picks it up.
        config = dj_database_url.parse(
            raw,
            conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
            conn_health_checks=True,
        )
    except ValueError as error:
        raise ImproperlyConfigured(f"{name} is not a valid database URL: {error}") from None
    if scheme != "sqlite" and not config.get("NAME"):
        raise ImproperlyConfigured(f"{name} must name a database (postgres://host/NAME).")
    return config


def redis_url_from_env(name: str) -> str:
    raw = os.environ.get(name, "").strip()
    if raw and urlparse(raw).scheme not in {"redis", "rediss"}:
        raise ImproperlyConfigured(f"{name} must be a redis://… URL (got {raw!r}).")
    return raw


SSO_SIGN_ALGORITHMS = {"RS256", "RS384", "RS512", "ES256", "ES384", "ES512", "HS256"}
SSO_ENDPOINTS = {
    "OIDC_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_USERINFO_ENDPOINT": "userinfo_endpoint",
    "OIDC_JWKS_URI": "jwks_uri",
}


def _env_url(name: str) -> str:
    raw = os.environ.get(name, "").strip()
    parsed = urlparse(raw)
    if raw and (parsed.scheme not in {"http", "https"} or not parsed.netloc):
        raise ImproperlyConfigured(f"{name} must be an http(s):// URL (got {raw!r}).")
    return raw


def sso_from_env() -> dict | None:
    """Single sign-on through an OpenID Connect provider (accounts/sso.py), or None when
    OIDC_ISSUER_URL is unset. Set but incomplete, it stops the start naming what is
    missing: a half-configured sign-in would only fail when someone clicks the button."""
    issuer = _env_url("OIDC_ISSUER_URL")
    if not issuer:
        stray = sorted(
            name
            for name in ("OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET", "OIDC_BUTTON_LABEL")
            + tuple(SSO_ENDPOINTS)
            if os.environ.get(name, "").strip()
        )
        if stray:
            raise ImproperlyConfigured(
                f"{', '.join(stray)} set without OIDC_ISSUER_URL: set the provider's issuer "
                "URL to turn single sign-on on, or unset them."
            )
        return None
    missing = [name for name in ("OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET") if not env_str(name)]
    if missing:
        raise ImproperlyConfigured(
            f"Single sign-on (OIDC_ISSUER_URL) needs {' and '.join(missing)} too: the client "
            "the identity provider registered for Roundtable."
        )
    # Endpoints: all four given (a provider without discovery), or none (read from
    # the issuer's /.well-known/openid-configuration on first use).
    endpoints = {key: _env_url(name) for name, key in SSO_ENDPOINTS.items()}
    given = [name for name, key in SSO_ENDPOINTS.items() if endpoints[key]]
    if given and len(given) < len(SSO_ENDPOINTS):
        absent = [name for name in SSO_ENDPOINTS if name not in given]
        raise ImproperlyConfigured(
            f"{', '.join(given)} set without {', '.join(absent)}: give all four endpoints, "
            "or none to discover them from OIDC_ISSUER_URL."
        )
    algorithm = env_str("OIDC_SIGN_ALGO", "RS256").strip().upper()
    if algorithm not in SSO_SIGN_ALGORITHMS:
        raise ImproperlyConfigured(
            f"OIDC_SIGN_ALGO must be one of {', '.join(sorted(SSO_SIGN_ALGORITHMS))} "
            f"(got {algorithm!r})."
        )
    scopes = env_str("OIDC_SCOPES", "openid email profile").split()
    if not {"openid", "email"} <= set(scopes):
        raise ImproperlyConfigured(
            f"OIDC_SCOPES must include openid and email (got {' '.join(scopes)!r})."
        )
    return {
        "issuer": issuer,
        "client_id": env_str("OIDC_CLIENT_ID"),
        "client_secret": env_str("OIDC_CLIENT_SECRET"),
        "endpoints": endpoints if given else None,
        "sign_algo": algorithm,
        "scopes": " ".join(scopes),
        "label": env_str("OIDC_BUTTON_LABEL").strip() or "single sign-on",
        "timeout": env_int("OIDC_TIMEOUT_SECONDS", 10, minimum=1),
    }


def sso_only_from_env(sso: dict | None) -> tuple[bool, str]:
    """SSO_ONLY and the break-glass admin's username: SSO_ONLY without single sign-on
    or without a break-glass admin would lock everyone out."""
    sso_only = env_bool("SSO_ONLY", False)
    break_glass = env_str("SSO_BREAK_GLASS_USERNAME").strip()
    if sso_only and sso is None:
        raise ImproperlyConfigured("SSO_ONLY=true needs single sign-on: set OIDC_ISSUER_URL.")
    if sso_only and not break_glass:
        raise ImproperlyConfigured(
            "SSO_ONLY=true needs SSO_BREAK_GLASS_USERNAME: the admin who can still sign in "
            "with a password when the identity provider is down."
        )
    return sso_only, break_glass


# --- Core ---------------------------------------------------------------------

DEBUG = env_bool("DEBUG", default=not os.environ.get("SECRET_KEY"))
SECRET_KEY = env_str("SECRET_KEY") or "roundtable-insecure-development-key-change-me"
if not DEBUG and SECRET_KEY.startswith("roundtable-insecure"):
    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
CSRF_FAILURE_VIEW = "coe.errors.csrf_failure"
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "simple_history",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "accounts",
    "stakeholders",
    "governance",
    "api",
    "health",
    "axes",
    "csp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.TwoFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # An empty 405 from require_POST becomes a page that says why (coe/errors.py).
    "coe.errors.MethodNotAllowedPageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a sign-in refused for a lockout into the
    # lockout page, after every other middleware has seen the request.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "coe.urls"
WSGI_APPLICATION = "coe.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            # `{% url %}` remembers the addresses it computed (coe/url_memo.py).
            "builtins": ["coe.url_memo"],
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.roles",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------

DATABASES = {"default": database_from_env("DATABASE_URL")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and Celery -----------------------------------------------------------

REDIS_URL = redis_url_from_env("REDIS_URL")

if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = REDIS_URL or "memory://localhost/"
if REDIS_URL:
    # kombu's Redis transport with one fix: a worker holding an unacknowledged message
    # no longer dies when Redis goes away (see coe/broker.py).
    CELERY_BROKER_TRANSPORT = "coe.broker:Transport"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = "UTC"
# A task is acknowledged when it has run, not when it was taken, and a worker takes one
# at a time: a worker killed mid-task leaves its message to be delivered again (tasks
# are safe to run twice) instead of losing it.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Bounded retries so that enqueueing never hangs a request when Redis is down
# (governance.services then recomputes inline). The transport options bound the web's
# connection attempts; a worker and beat reconnect with BROKER_CONNECTION_* below.
BROKER_VISIBILITY_TIMEOUT = env_int("BROKER_VISIBILITY_TIMEOUT", 600, minimum=1)
CELERY_BROKER_CONNECTION_TIMEOUT = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
    "socket_connect_timeout": 1,
    "socket_timeout": 2,
    # An unacknowledged message (a task taken by a worker that died) is delivered
    # again after this long: longer than any recompute, or it would run twice.
    "visibility_timeout": BROKER_VISIBILITY_TIMEOUT,
    # A worker looks for such messages every 10 s (kombu's default: every 100 s).
    "unacked_restore_interval": min(10, BROKER_VISIBILITY_TIMEOUT),
    "unacked_restore_throttle": 1,
    # Notice a broker that went away between polls.
    "health_check_interval": 10,
}
# Read only by the worker and beat (publishing from the web uses the options above):
# they keep reconnecting for as long as Redis is away, instead of exiting.
CELERY_BROKER_CONNECTION_RETRY = True
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
RECOMPUTE_DELAY_SECONDS = env_int("RECOMPUTE_DELAY_SECONDS", 5)
# How often beat checks that the latest snapshot is current (the safety net that
# repairs a lost recompute).
SNAPSHOT_CHECK_SECONDS = env_int("SNAPSHOT_CHECK_SECONDS", 60, minimum=1)
# How many reads each process remembers until the registry changes (governance/read_memo:
# the dashboard, the map's branches, the roster); 0 remembers nothing, every page reads
# afresh (bench/load.py --no-memo measures the pages so).
READ_MEMO_ENTRIES = env_int("READ_MEMO_ENTRIES", 256)

# --- Auth -----------------------------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTHENTICATION_BACKENDS = [
    # First, so that a locked-out username and address is refused before the password
    # is even hashed (the hash is what costs ~0.9 s of CPU per try).
    "axes.backends.AxesStandaloneBackend",
    # SSO_ONLY: refuses a password before it is checked, except the break-glass admin's.
    "accounts.backends.PasswordPolicyBackend",
    "django.contrib.auth.backends.ModelBackend",
    # The identity provider's answer on the sign-in callback (does nothing while SSO is off).
    "accounts.sso.SSOBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
COE_LEADS_GROUP = "COE leads"

# How many reverse proxies in front of the site append to X-Forwarded-For. 0: the
# client's address is REMOTE_ADDR. A header the client sends itself is never trusted,
# or an attacker would get a fresh lockout and throttle bucket with every request.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

# django-axes: AXES_FAILURE_LIMIT wrong passwords for one username from one address
# lock that pair out (web sign-in and POST /api/token/ alike) for the cool-off. Per
# pair, not per username, so that nobody can lock a colleague out from elsewhere.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_MINUTES = env_int("AXES_COOLOFF_MINUTES", 15, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=AXES_COOLOFF_MINUTES)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.views.locked_out"
AXES_CLIENT_IP_CALLABLE = "accounts.security.client_ip"
AXES_VERBOSE = False

# API tokens stop working this many hours after they were issued; signing out of the
# web revokes them, and POST /api/token/revoke/ revokes one's own.
API_TOKEN_TTL_HOURS = env_int("API_TOKEN_TTL_HOURS", 24 * 30, minimum=1)
# Per client address, on POST /api/token/ only: on top of the lockout, it bounds the
# CPU an anonymous caller can spend on password hashing.
API_TOKEN_THROTTLE_RATE = env_rate("API_TOKEN_THROTTLE_RATE", "10/min")
# The same bound on the web sign-in form's posts; higher, as a whole office may sign in
# through one address.
SIGN_IN_THROTTLE_RATE = env_rate("SIGN_IN_THROTTLE_RATE", "30/min")

# A department head or lead invited without a password sets one through a one-time
# link that works this many days (accounts.services.invitation_send).
INVITATION_TTL_DAYS = env_int("INVITATION_TTL_DAYS", 7, minimum=1)

# Two-factor sign-in (django-otp): a code from an authenticator app (TOTP) or a
# recovery code after the password, for anyone who turned it on in their profile. With
# REQUIRE_2FA_FOR_LEADS, COE leads and admins must turn it on before any other page.
REQUIRE_2FA_FOR_LEADS = env_bool("REQUIRE_2FA_FOR_LEADS", False)
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "Roundtable")
# Minutes between the password and the code before the sign-in starts over.
TWO_FACTOR_PENDING_MINUTES = 5

# Single sign-on (OpenID Connect, accounts/sso.py): off while OIDC_ISSUER_URL is unset.
# SSO_ONLY turns password sign-in, password reset and invitation passwords off for
# everyone but SSO_BREAK_GLASS_USERNAME.
SSO = sso_from_env()
SSO_ONLY, SSO_BREAK_GLASS_USERNAME = sso_only_from_env(SSO)

# --- Security -------------------------------------------------------------------

# Production defaults whenever DEBUG is off, so that `manage.py check --deploy` is
# clean on a real deployment; each can be turned off for a plain-HTTP test install.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not DEBUG)
# A load balancer probes over plain HTTP on the private network.
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 60 * 60 * 24 * 365)
# HSTS covers the subdomains of the site's own host name (not of the company's domain);
# `preload` only takes effect once someone submits the domain to the browsers' list.
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", default=not DEBUG)
# Only behind a proxy that sets X-Forwarded-Proto itself (and drops the client's):
# otherwise any client could claim HTTPS.
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("SECURE_PROXY_SSL_HEADER", False) else None
)
# (Django's defaults already send X-Frame-Options: DENY, nosniff and a same-origin
# Referrer-Policy, and keep the session cookie away from scripts.)

# No inline script or style anywhere: pages take their data from json_script blocks
# and data- attributes, and static/js/ does the rest. `data:` images are Bootstrap's
# and Swagger UI's SVG icons (form controls, toggler).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# --- Internationalisation -------------------------------------------------------

LANGUAGE_CODE = "en-us"
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

# --- Static files ---------------------------------------------------------------

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# --- E-mail ---------------------------------------------------------------------

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "roundtable@localhost")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)

# --- Forms, API -----------------------------------------------------------------

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_BYTES", 10 * 1024 * 1024, minimum=1)

# --- Spreadsheet imports: what one file may hold -----------------------------------
# The upload size alone does not bound the work: a 100 KB workbook can unpack to
# gigabytes, or hold one row of a million cells. A file past one of these is refused
# with a message before its rows are read (docs/spreadsheets.md). The widest import
# file has 11 columns, hence the columns' minimum.
IMPORT_MAX_ROWS = env_int("IMPORT_MAX_ROWS", 50_000, minimum=1)
IMPORT_MAX_COLUMNS = env_int("IMPORT_MAX_COLUMNS", 100, minimum=11)
IMPORT_MAX_UNPACKED_BYTES = env_int("IMPORT_MAX_UNPACKED_BYTES", 100 * 1024 * 1024, minimum=1)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "api.authentication.ExpiringTokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # The API speaks JSON only: one request body per operation in the schema (a
    # generated client cannot choose among JSON, form and multipart ones), and no
    # cross-site form can post to it (the browsable API and Swagger UI send JSON).
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "DEFAULT_THROTTLE_RATES": {"token": API_TOKEN_THROTTLE_RATE, "sign-in": SIGN_IN_THROTTLE_RATE},
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Roundtable API",
    "DESCRIPTION": "Stakeholder registry and inclusion assessment of the Social Media COE.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # A request component apart from each response component: read-only fields (a
    # token, an id) are not asked of a client, write-only ones (a password) not shown.
    "COMPONENT_SPLIT_REQUEST": True,
    # Departments and stakeholder groups both have a `kind`, seats and accounts both a
    # `status`: name each set of choices after its model.
    "ENUM_NAME_OVERRIDES": {
        "DepartmentKindEnum": "stakeholders.models.DepartmentKind",
        "GroupKindEnum": "stakeholders.models.GroupKind",
        "SeatStatusEnum": "stakeholders.models.SeatStatus",
        "AccountStatusEnum": "stakeholders.models.AccountStatus",
    },
}

# --- Logging --------------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}
