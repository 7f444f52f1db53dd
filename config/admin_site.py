from django.conf import settings
from django.contrib.admin import AdminSite, ModelAdmin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.utils.text import capfirst
from django_otp.admin import OTPAdminAuthenticationForm, OTPAdminSite

from portail.francais import de, du, un


class TitresEnFrancais:
    """Page titles with article, gender and elision: "Ajout d'une école", "Modification du
    candidat", not Django's "Ajout de école".

    Django's French catalogue writes "Ajout de %s" whatever the name begins with, and a
    model's verbose_name cannot carry the article nor the elision of the word before it.
    """

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        nom = self.opts.verbose_name
        if add:
            context["title"] = f"Ajout {de(un(nom))}"
        elif self.has_change_permission(request, obj):
            context["title"] = f"Modification {du(nom)}"
        else:
            context["title"] = f"Affichage {du(nom)}"
        return super().render_change_form(request, context, add, change, form_url, obj)

    def changelist_view(self, request, extra_context=None):
        extra_context = {"title": capfirst(self.opts.verbose_name_plural), **(extra_context or {})}
        return super().changelist_view(request, extra_context)

    def delete_view(self, request, object_id, extra_context=None):
        extra_context = {
            "title": f"Suppression {du(self.opts.verbose_name)}",
            **(extra_context or {}),
        }
        return super().delete_view(request, object_id, extra_context)


class PortailAdminSite(OTPAdminSite):
    """The Django admin, asking for a TOTP code as well when PORTAIL_ADMIN_OTP is on."""

    name = "admin"
    site_header = "Portail Plan Marshall — administration"
    site_title = "Portail Plan Marshall"
    index_title = "Données de référence et comptes"

    def __init__(self, name="admin"):
        super().__init__(name)

    def register(self, model_or_iterable, admin_class=None, **options):
        """Every model's admin, the portal's and the third-party apps', gets French titles."""
        admin_class = admin_class or ModelAdmin
        if not issubclass(admin_class, TitresEnFrancais):
            admin_class = type(
                admin_class.__name__,
                (TitresEnFrancais, admin_class),
                {"__module__": admin_class.__module__},
            )
        super().register(model_or_iterable, admin_class, **options)

    @property
    def login_form(self):
        return OTPAdminAuthenticationForm if settings.PORTAIL_ADMIN_OTP else AdminAuthenticationForm

    @property
    def login_template(self):
        return OTPAdminSite.login_template if settings.PORTAIL_ADMIN_OTP else None

    def has_permission(self, request):
        if settings.PORTAIL_ADMIN_OTP:
            return super().has_permission(request)
        return AdminSite.has_permission(self, request)
