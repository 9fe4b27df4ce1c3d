from django.urls import path, register_converter

from . import views


class UnicodeSlugConverter:
    """Slugs in any script (allow_unicode=True); anything else never reaches a query."""

    regex = r"[-\w]+"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(UnicodeSlugConverter, "uslug")

app_name = "articles"

urlpatterns = [
    path("", views.home, name="home"),
    path("news/<uslug:slug>/", views.article_detail, name="detail"),
    path("section/<uslug:slug>/", views.section, name="section"),
    path("author/<uslug:slug>/", views.author, name="author"),
    path("search/", views.search, name="search"),
]
