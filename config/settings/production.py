"""Production: every secret comes from the environment, with no default."""

from .base import *  # noqa: F403
from .base import STORAGES, env

DEBUG = False
SECRET_KEY = env("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")
DATABASES = {"default": env.db("DATABASE_URL")}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The nginx of the README, in front of gunicorn.
PORTAIL_PROXIES_DE_CONFIANCE = env.int("PORTAIL_PROXIES_DE_CONFIANCE", default=1)
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True

PORTAIL_DEMO_AUTORISEE = False
PORTAIL_ADMIN_OTP = True
PORTAIL_OTP_EQUIPE = True

# Kept files (documents, signed scans, pending imports) in an S3-compatible store when a
# bucket is named, shared by every server (README, « Fichiers conservés »). Private: the
# portal reads them and serves them itself, after its access checks; it never hands out
# the store's URLs, signed or not.
PORTAIL_S3_BUCKET = env("PORTAIL_S3_BUCKET", default="")
if PORTAIL_S3_BUCKET:
    _S3 = {
        "bucket_name": PORTAIL_S3_BUCKET,
        "endpoint_url": env("PORTAIL_S3_ENDPOINT_URL", default=None),
        "region_name": env("PORTAIL_S3_REGION", default=None),
        "access_key": env("PORTAIL_S3_ACCESS_KEY"),
        "secret_key": env("PORTAIL_S3_SECRET_KEY"),
        "default_acl": "private",
        "querystring_auth": False,
        "file_overwrite": False,
    }
    STORAGES = {
        **STORAGES,
        "documents": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {**_S3, "location": "documents"},
        },
        "imports": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {**_S3, "location": "imports"},
        },
        "exports": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {**_S3, "location": "exports"},
        },
    }
