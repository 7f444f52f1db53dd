app_name = "evenements"

urlpatterns = []
