from django.contrib import admin

from .models import Message


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    """Read-only: messages are written by the services that send them."""

    list_display = ["sujet", "destinataire", "etat", "tentatives", "cree_le", "envoye_le"]
    list_filter = ["etat"]
    search_fields = ["destinataire", "sujet", "cle"]
    date_hierarchy = "cree_le"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
