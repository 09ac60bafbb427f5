from django.urls import path

from awards import views

app_name = "awards"

urlpatterns = [
    path("awards/", views.summary, name="summary"),
]
