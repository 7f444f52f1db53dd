import axes.apps
import django_otp.plugins.otp_static.apps
import django_otp.plugins.otp_totp.apps
import django_tasks_db.apps
from django.contrib.admin.apps import AdminConfig


class PortailAdminConfig(AdminConfig):
    default_site = "config.admin_site.PortailAdminSite"


# Third-party apps keep their English (or raw) labels in the admin unless the project
# names them: these subclasses stand in for them in INSTALLED_APPS. Only the displayed
# names change (`_meta.verbose_name`, not the migration state in `original_attrs`).


class AxesConfig(axes.apps.AppConfig):
    verbose_name = "Sécurité des connexions"

    def ready(self):
        super().ready()
        from axes.admin import IsLockedOutFilter

        # A list filter's title has no French in axes' catalogue: "Par Locked Out".
        IsLockedOutFilter.title = "verrouillage"


class OtpStaticConfig(django_otp.plugins.otp_static.apps.DefaultConfig):
    verbose_name = "Double authentification : codes de secours"

    def ready(self):
        nommer(self, "StaticDevice", "jeu de codes de secours", "jeux de codes de secours")


class OtpTotpConfig(django_otp.plugins.otp_totp.apps.DefaultConfig):
    verbose_name = "Double authentification : applications"

    def ready(self):
        nommer(
            self, "TOTPDevice", "application d'authentification", "applications d'authentification"
        )


class TachesConfig(django_tasks_db.apps.TasksAppConfig):
    verbose_name = "Tâches en arrière-plan"

    def ready(self):
        super().ready()
        nommer(self, "DBTaskResult", "résultat de tâche", "résultats de tâches")


def nommer(app_config, model_name, verbose_name, verbose_name_plural):
    meta = app_config.get_model(model_name)._meta
    meta.verbose_name = verbose_name
    meta.verbose_name_plural = verbose_name_plural
