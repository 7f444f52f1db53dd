app_name = "besoins"

urlpatterns = []
