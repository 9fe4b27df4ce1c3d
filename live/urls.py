from django.urls import path

from articles.urls import stored_listing

from . import feeds, views

app_name = "live"

urlpatterns = [
    path("news/<uslug:slug>/live/<int:number>/", views.older_updates, name="live-page"),
    path("news/<uslug:slug>/updates/<int:pk>/", views.update_permalink, name="live-update"),
    path("news/<uslug:slug>/live.json", views.new_updates, name="live-json"),
    path("news/<uslug:slug>/live.atom", stored_listing(feeds.LiveUpdatesFeed()), name="live-feed"),
]
