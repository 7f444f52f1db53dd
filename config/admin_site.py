from django.conf import settings
from django.contrib.admin import AdminSite
from django.contrib.admin.forms import AdminAuthenticationForm
from django_otp.admin import OTPAdminAuthenticationForm, OTPAdminSite


class PortailAdminSite(OTPAdminSite):
    """The Django admin, asking for a TOTP code as well when PORTAIL_ADMIN_OTP is on."""

    name = "admin"
    site_header = "Portail Plan Marshall — administration"
    site_title = "Portail Plan Marshall"
    index_title = "Données de référence et comptes"

    def __init__(self, name="admin"):
        super().__init__(name)

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
