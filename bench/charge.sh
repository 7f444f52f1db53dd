#!/bin/sh
# Load test on loopback: gunicorn with 2 workers under the production settings, then wrk
# for 30 s on the home page, the candidate list and the largest cohort's page, as a
# signed-in staff member. Usage: DATABASE_URL=postgres://... bench/charge.sh
# Issue 16's target: the home page at three times the 16.8 requests/s measured before it.
set -eu
: "${DATABASE_URL:?DATABASE_URL est requis (base remplie par generer_volume)}"
command -v wrk >/dev/null || { echo "wrk est requis : apt-get install wrk"; exit 1; }
PORT=${BENCH_PORT:-8077}
CIBLE_ACCUEIL=50.4
DUREE=${BENCH_DUREE:-30s}
BIN=.venv/bin
export DJANGO_SETTINGS_MODULE=config.settings.production
export DJANGO_SECRET_KEY=bench-local-secret-not-for-production-0123456789abcdefghij
export DJANGO_ALLOWED_HOSTS=127.0.0.1
export DJANGO_SECURE_SSL_REDIRECT=False

# The session cookie is Secure in production: wrk talks plain HTTP, so the session is
# written straight into the database and its key sent as a header. Staff sessions need
# their second factor: the session is marked verified with the user's authenticator app,
# as django_otp.login does (a confirmed TOTP device is given to the user if they have none).
SESSION=$($BIN/python manage.py shell --verbosity 0 -c '
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from comptes.models import User
user = User.objects.get(username="equipe")
appareil = TOTPDevice.objects.filter(user=user, confirmed=True).first()
if appareil is None:
    appareil = TOTPDevice.objects.create(user=user, name="Banc de charge", confirmed=True)
session = SessionStore()
session[SESSION_KEY] = str(user.pk)
session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
session[HASH_SESSION_KEY] = user.get_session_auth_hash()
session[DEVICE_ID_SESSION_KEY] = appareil.persistent_id
session.create()
print(session.session_key)
')
COHORTE=$($BIN/python manage.py shell --verbosity 0 -c '
from django.db.models import Count
from parcours.models import Cohorte
print(Cohorte.objects.annotate(nb=Count("inscriptions")).order_by("-nb", "pk").first().pk)
')

$BIN/python manage.py collectstatic --no-input --verbosity 0
$BIN/gunicorn config.wsgi --workers 2 --bind 127.0.0.1:$PORT --pid /tmp/gunicorn-bench.pid \
    --log-level warning &
trap 'kill "$(cat /tmp/gunicorn-bench.pid)"' EXIT
sleep 3

for CHEMIN in / /candidats/ "/cohortes/$COHORTE/"; do
    URL="http://127.0.0.1:$PORT$CHEMIN"
    STATUT=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: sessionid=$SESSION" "$URL")
    echo "== $CHEMIN (premier appel : HTTP $STATUT)"
    [ "$STATUT" = 200 ] || { echo "La page ne répond pas 200 : session refusée ?"; exit 1; }
    wrk -t2 -c4 -d"$DUREE" --latency -H "Cookie: sessionid=$SESSION" "$URL" | tee /tmp/wrk-bench.txt
    if [ "$CHEMIN" = / ]; then
        awk -v cible="$CIBLE_ACCUEIL" '/^Requests\/sec:/ {
            printf "Accueil : %s requêtes/s (%s cible ≥ %s)\n", $2, ($2 >= cible ? "✓" : "✗"), cible
        }' /tmp/wrk-bench.txt
    fi
done
