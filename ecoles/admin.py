from django.contrib import admin

from indicateurs.tasks import apres_changement

from .models import Ecole


@admin.register(Ecole)
class EcoleAdmin(admin.ModelAdmin):
    list_display = ["nom", "ville", "filiere", "active"]
    list_filter = ["filiere", "active", "ville"]
    search_fields = ["nom", "ville"]
    filter_horizontal = ["entreprises_adherentes", "organismes_formation"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "filiere" in form.changed_data:
            # The indicators count the candidates aiming for it in its job family.
            apres_changement(ecole_id=obj.pk)
