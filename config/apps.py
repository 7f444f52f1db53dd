from django.contrib.admin.apps import AdminConfig


class PortailAdminConfig(AdminConfig):
    default_site = "config.admin_site.PortailAdminSite"
