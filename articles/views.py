from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.http import http_date

from .article_pages import published_page, render_article_page
from .caching import cache_public_page
from .models import Article, Author, Section

PAGE_SIZE = 20


@cache_public_page
def home(request):
    articles = Article.objects.published().for_listing()
    page = Paginator(articles, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "articles/home.html", {"page": page})


@cache_public_page
def article_detail(request, slug):
    article, html = published_page(slug)
    if article is None:
        if not request.user.has_perm("articles.change_article"):
            raise Http404("No published article has this address.")
        article = get_object_or_404(Article.objects.for_page(), slug=slug)
        html = render_article_page(article, preview=True)
    response = HttpResponse(html)
    response["Last-Modified"] = http_date(article.updated_at.timestamp())
    return response


@cache_public_page
def section(request, slug):
    section = get_object_or_404(Section, slug=slug)
    articles = Article.objects.published().for_listing().filter(section=section)
    page = Paginator(articles, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "articles/section_list.html", {"section": section, "page": page})


@cache_public_page
def author(request, slug):
    author = get_object_or_404(Author, slug=slug)
    articles = Article.objects.published().for_listing().filter(authors=author)
    page = Paginator(articles, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "articles/author_detail.html", {"author": author, "page": page})
