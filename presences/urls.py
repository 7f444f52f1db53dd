app_name = "presences"

urlpatterns = []
