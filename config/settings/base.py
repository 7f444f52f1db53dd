"""Settings shared by every environment; each value is read through django-environ."""

from pathlib import Path

import environ
from csp.constants import NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=[])

INSTALLED_APPS = [
    "config.apps.PortailAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "django_filters",
    "config.apps.AxesConfig",
    "csp",
    "simple_history",
    "django_otp",
    "config.apps.OtpTotpConfig",
    "config.apps.OtpStaticConfig",
    "django_tasks",
    "config.apps.TachesConfig",
    "anymail",
    "comptes",
    "entreprises",
    "ecoles",
    "parcours",
    "candidats",
    "demo",
    "portail",
    "partenaires",
    "indicateurs",
    "echanges",
    "messagerie",
    "enquetes",
    "evaluations",
    "a_faire",
    "presences",
    "documents",
    "besoins",
    "evenements",
    "agenda",
    "bench",
]

MIDDLEWARE = [
    # First: even a response made before the others run (a bad Host) gets the headers.
    "portail.middleware.EnTetesDeSecuriteMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Pages of signed-in users and downloads are never cached (static files never get here).
    "portail.middleware.SansCacheMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # After OTPMiddleware, which tells whether the session has given its second factor.
    "comptes.middleware.DoubleFacteurMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a lockout into its own response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

# Forms render through the project's templates, so that `templates/django/forms/`
# can put Django's widgets into French.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

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
            ],
            # "0 place", never "0 places": `pluralize` follows the French rule everywhere.
            "builtins": ["portail.templatetags.accords"],
        },
    },
]

# Without DATABASE_URL the portal runs on the embedded SQLite file.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=0)
# Every request writes its session: on SQLite, concurrent requests would fail with
# "database is locked". In WAL mode readers go on beside the writer; a transaction takes
# the write lock as it begins (a read-then-write one cannot fail halfway) and waits up to
# 20 s for it.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        **DATABASES["default"].get("OPTIONS", {}),
    }
# PostgreSQL compiles a query with JIT once its estimated cost passes a threshold: the
# indicators' conditional counts (one FILTER per step and event type) are estimated high
# and spent 48 s compiling for 0.3 s of work at a fifth of the design scale. The
# portal's queries are short: no JIT.
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["OPTIONS"] = {
        "options": "-c jit=off",
        **DATABASES["default"].get("OPTIONS", {}),
    }
# In the database, so that every server sees the same counts (password-reset throttle);
# the table comes from `manage.py createcachetable`. Room for many keys: past the limit,
# Django drops a third of them, counts with them.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "portail_cache",
        "OPTIONS": {"MAX_ENTRIES": 100_000},
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "comptes.User"
AUTHENTICATION_BACKENDS = [
    # django-axes first, so a locked-out account or address never reaches the password check.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "login"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "fr-fr"
# One language: the portal never follows a browser asking for another.
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Files the portal keeps (generated documents, signed scans, pending imports) go through
# Django's storage API: on disk by default, in an S3-compatible store in production
# (README). Never served as static or media files: only through the portal's views.
PORTAIL_FICHIERS_DIR = Path(env("PORTAIL_FICHIERS_DIR", default=str(BASE_DIR / "fichiers")))
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PORTAIL_FICHIERS_DIR / "divers"},
    },
    "documents": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PORTAIL_FICHIERS_DIR / "documents"},
    },
    "imports": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PORTAIL_FICHIERS_DIR / "imports"},
    },
    "exports": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PORTAIL_FICHIERS_DIR / "exports"},
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

EMAIL_BACKEND = env("DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", default="portail@plan-marshall.local")
# Production providers through django-anymail: DJANGO_EMAIL_BACKEND set to e.g.
# "anymail.backends.brevo.EmailBackend" and the provider's key in ANYMAIL (README).
ANYMAIL = env.dict("PORTAIL_ANYMAIL", default={})

# Background jobs (mail, surveys, digests): Django's tasks API through django-tasks, stored
# in the database and run by `manage.py db_worker` on one or several machines.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
PORTAIL_MESSAGES_TENTATIVES_MAX = env.int("PORTAIL_MESSAGES_TENTATIVES_MAX", default=5)
PORTAIL_MESSAGES_DELAI_REPRISE_MINUTES = env.int(
    "PORTAIL_MESSAGES_DELAI_REPRISE_MINUTES", default=15
)
# A message names people and carries links: deleted this many days after it was written,
# and a survey link this many days after it expired (`purger_messages`).
PORTAIL_RETENTION_MESSAGES_JOURS = env.int("PORTAIL_RETENTION_MESSAGES_JOURS", default=90)

# A working day of inactivity ends the session.
SESSION_COOKIE_AGE = env.int("DJANGO_SESSION_COOKIE_AGE", default=10 * 60 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True

# Sign-in throttling: an account is locked after repeated failures from one address;
# an administrator unlocks it in the admin (Accès / Tentatives d'accès) or it reopens
# after the cool-off.
AXES_FAILURE_LIMIT = env.int("PORTAIL_CONNEXION_ECHECS_MAX", default=5)
AXES_COOLOFF_TIME = env.int("PORTAIL_CONNEXION_BLOCAGE_HEURES", default=1)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# A failure during a lockout does not restart the cool-off.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_CLIENT_IP_CALLABLE = "portail.client.adresse_du_client"
# Failures on one account from several addresses slow it down (comptes/connexion.py).
AXES_HANDLER = "comptes.connexion.PortailAxesHandler"
AXES_LOCKOUT_CALLABLE = "comptes.connexion.reponse_de_blocage"
PORTAIL_CONNEXION_ECHECS_COMPTE = env.int("PORTAIL_CONNEXION_ECHECS_COMPTE", default=10)
PORTAIL_CONNEXION_ATTENTE_SECONDES = env.int("PORTAIL_CONNEXION_ATTENTE_SECONDES", default=30)
# Password-reset e-mails per hour, for one e-mail address and from one client
# (comptes/reinitialisation.py).
PORTAIL_REINITIALISATION_PAR_ADRESSE = env.int("PORTAIL_REINITIALISATION_PAR_ADRESSE", default=3)
PORTAIL_REINITIALISATION_PAR_CLIENT = env.int("PORTAIL_REINITIALISATION_PAR_CLIENT", default=10)
# Reverse proxies in front of the portal, each adding to X-Forwarded-For: the client's
# address is read that many entries from its right (portail/client.py). 0 without proxy.
PORTAIL_PROXIES_DE_CONFIANCE = env.int("PORTAIL_PROXIES_DE_CONFIANCE", default=0)
AXES_USERNAME_FORM_FIELD = "username"
AXES_VERBOSE = False

# Content-Security-Policy: nothing inline, nothing from another origin.
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

# The Django admin asks for a second factor (TOTP) where this is on.
PORTAIL_ADMIN_OTP = env.bool("PORTAIL_ADMIN_OTP", default=False)
OTP_TOTP_ISSUER = "Portail Plan Marshall"
# Staff and administrators give a TOTP code after signing in, before any other page;
# partners who chose to enrol too (comptes/double_facteur.py).
PORTAIL_OTP_EQUIPE = env.bool("PORTAIL_OTP_EQUIPE", default=False)
# Each wrong code doubles the wait before the next try on that device (1 s, 2 s, 4 s…):
# an administrator's reset of the user's devices ends a long wait.
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1

# Business settings (see docs/domaine.md).
PORTAIL_SUIVI_RETARD_JOUR = env.int("PORTAIL_SUIVI_RETARD_JOUR", default=10)
# The monthly check-in's attendance rating is suggested from the month's attendance rate
# (hours done over planned, in %): "bon" from the first threshold, "moyen" from the second.
PORTAIL_ASSIDUITE_SEUIL_BON = env.int("PORTAIL_ASSIDUITE_SEUIL_BON", default=95)
PORTAIL_ASSIDUITE_SEUIL_MOYEN = env.int("PORTAIL_ASSIDUITE_SEUIL_MOYEN", default=85)
# This many unjustified absences (half-days) in a month flag the trainee on the home page.
PORTAIL_ABSENCES_NON_JUSTIFIEES_ALERTE = env.int(
    "PORTAIL_ABSENCES_NON_JUSTIFIEES_ALERTE", default=3
)
PORTAIL_RETENTION_CANDIDAT_MOIS = env.int("PORTAIL_RETENTION_CANDIDAT_MOIS", default=24)
PORTAIL_RETENTION_STAGIAIRE_MOIS = env.int("PORTAIL_RETENTION_STAGIAIRE_MOIS", default=60)
# Documents and attendance are the funders' proofs: kept this many years after the cohort's
# end (longer when the EU's FSE+ co-finances it), whatever the anonymisation of the people
# (`appliquer_retention_documents`).
PORTAIL_RETENTION_DOCUMENTS_ANS = env.int("PORTAIL_RETENTION_DOCUMENTS_ANS", default=6)
PORTAIL_RETENTION_DOCUMENTS_FSE_ANS = env.int("PORTAIL_RETENTION_DOCUMENTS_FSE_ANS", default=10)
# The signed scan of a week's attendance sheet.
PORTAIL_DOCUMENTS_SCAN_MAX_OCTETS = env.int(
    "PORTAIL_DOCUMENTS_SCAN_MAX_OCTETS", default=10 * 1024 * 1024
)

# Follow-up surveys after the exit (docs/domaine.md, « Après la sortie »): the waves, in
# months after the exit (0, 3, 6, 12), how long an e-mailed link stays valid, and how
# many requests to the links one client may make per hour.
PORTAIL_ENQUETES_VAGUES_MOIS = env.list("PORTAIL_ENQUETES_VAGUES_MOIS", cast=int, default=[0, 6])
PORTAIL_ENQUETES_VALIDITE_JOURS = env.int("PORTAIL_ENQUETES_VALIDITE_JOURS", default=60)
PORTAIL_ENQUETES_REQUETES_PAR_HEURE = env.int("PORTAIL_ENQUETES_REQUETES_PAR_HEURE", default=30)
# How many requests to the calendar feeds (`/agenda/<token>.ics`) one client may make per
# hour: calendar services read many feeds from the same addresses.
PORTAIL_AGENDA_REQUETES_PAR_HEURE = env.int("PORTAIL_AGENDA_REQUETES_PAR_HEURE", default=240)
# Who answers the former trainees' questions about their data (the survey's notice).
PORTAIL_ENQUETES_CONTACT = env(
    "PORTAIL_ENQUETES_CONTACT", default="donnees-personnelles@plan-marshall.local"
)
# Whom a partner calls about the follow-up of its trainees (the partner's home page): a
# school or a cohort has no staff member of its own in the data.
PORTAIL_CONTACT_SUIVI_EMAIL = env(
    "PORTAIL_CONTACT_SUIVI_EMAIL", default="suivi@plan-marshall.local"
)
PORTAIL_CONTACT_SUIVI_TELEPHONE = env("PORTAIL_CONTACT_SUIVI_TELEPHONE", default="")
# The address of the portal in the e-mails' links ("https://portail.example.org"); empty,
# the first of DJANGO_ALLOWED_HOSTS over HTTPS.
PORTAIL_URL_DU_SITE = env("PORTAIL_URL_DU_SITE", default="")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
    # WeasyPrint tells each step of every PDF at INFO.
    "loggers": {"weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}
# Uploaded imports wait between preview and confirmation in the `imports` storage (above).
# Files and analyses left waiting longer are deleted (`purger_imports`; files also at
# each new upload).
PORTAIL_IMPORTS_DUREE_HEURES = env.int("PORTAIL_IMPORTS_DUREE_HEURES", default=24)
# Full exports are written by a task into the `exports` storage (above), downloadable by
# their requester this long, then deleted (`purger_imports`).
PORTAIL_EXPORTS_DUREE_HEURES = env.int("PORTAIL_EXPORTS_DUREE_HEURES", default=24)
# One file of candidates: 100,000 rows of about 200 bytes as CSV fit in 30 MB.
PORTAIL_IMPORT_LIGNES_MAX = env.int("PORTAIL_IMPORT_LIGNES_MAX", default=100_000)
PORTAIL_IMPORT_MAX_OCTETS = env.int("PORTAIL_IMPORT_MAX_OCTETS", default=30 * 1024 * 1024)
# An .xlsx is a zip: its unpacked size is checked before it is read (100,000 rows of
# candidates unpack to some 60 MB).
PORTAIL_IMPORT_XLSX_MAX_OCTETS = env.int(
    "PORTAIL_IMPORT_XLSX_MAX_OCTETS", default=120 * 1024 * 1024
)
# Its shared strings, which openpyxl reads whole: 100,000 rows of candidates hold ~10 MB.
PORTAIL_IMPORT_XLSX_TEXTES_MAX_OCTETS = env.int(
    "PORTAIL_IMPORT_XLSX_TEXTES_MAX_OCTETS", default=24 * 1024 * 1024
)
# Above this size an upload is analysed by a task (`echanges.tasks`), stopped after the limit.
PORTAIL_IMPORT_OCTETS_EN_TACHE = env.int("PORTAIL_IMPORT_OCTETS_EN_TACHE", default=200 * 1024)
PORTAIL_IMPORT_TACHE_DUREE_MAX_SECONDES = env.int(
    "PORTAIL_IMPORT_TACHE_DUREE_MAX_SECONDES", default=600
)
PORTAIL_DEMO_AUTORISEE = env.bool("PORTAIL_DEMO_AUTORISEE", default=True)
