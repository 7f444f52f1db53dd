from django.contrib import admin

from .models import Ecole


@admin.register(Ecole)
class EcoleAdmin(admin.ModelAdmin):
    list_display = ["nom", "ville", "filiere", "active"]
    list_filter = ["filiere", "active", "ville"]
    search_fields = ["nom", "ville"]
    filter_horizontal = ["entreprises_adherentes", "organismes_formation"]
