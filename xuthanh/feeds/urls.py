from django.urls import path

from xuthanh.feeds import views, widgets

app_name = "feeds"
urlpatterns = [
    path("feeds/places.geojson", views.places_geojson, name="places_geojson"),
    path("feeds/events.ics", views.events_ics, name="events_ics"),
    path("feeds/news.rss", views.news_rss, name="news_rss"),
    path("feeds/news.atom", views.news_atom, name="news_atom"),
    path("widgets/", widgets.widget_help, name="widget_help"),
    path("widgets/events", widgets.events_widget, name="events_widget"),
    path("widgets/places", widgets.places_widget, name="places_widget"),
    path("widgets/embed.js", widgets.embed_js, name="embed_js"),
]
