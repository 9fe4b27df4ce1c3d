from django.core import signing
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from . import workflow
from .models import Article, Author, Correction, Section
from .structured_data import article_graph, json_ld_script

PAGE_SIZE = 20


def home(request):
    articles = Article.objects.published().for_listing()
    page = Paginator(articles, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "articles/home.html", {"page": page})


def article_detail(request, slug):
    articles = Article.objects.for_page()
    article = articles.published().filter(slug=slug).first()
    preview = False
    if article is None and request.user.has_perm("articles.change_article"):
        article, preview = get_object_or_404(articles, slug=slug), True
    if article is None:
        raise Http404("No published article has this address.")
    response = render(
        request,
        "articles/article_detail.html",
        {
            "article": article,
            "preview": preview,
            "structured_data": json_ld_script(article_graph(article)),
        },
    )
    return private_preview(response) if preview else response


def shared_preview(request, token):
    """An unpublished article for an outside reviewer holding an editor's signed link."""
    try:
        pk = workflow.article_pk_from_share_token(token)
    except signing.SignatureExpired:
        response = render(request, "articles/share_link_expired.html", status=410)
        return private_preview(response)
    except signing.BadSignature as error:
        raise Http404("This preview link is not valid.") from error
    article = get_object_or_404(Article.objects.for_page(), pk=pk)
    response = render(
        request, "articles/article_detail.html", {"article": article, "preview": True}
    )
    return private_preview(response)


def private_preview(response):
    """Keep previews out of search engines, shared caches and other sites' referrer logs."""
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response


def corrections(request):
    entries = Correction.objects.public().select_related("article").order_by("-corrected_at")
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "articles/corrections.html", {"page": page})


def section(request, slug):
    section = get_object_or_404(Section, slug=slug)
    articles = Article.objects.published().for_listing().filter(section=section)
    page = Paginator(articles, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "articles/section_list.html", {"section": section, "page": page})


def author(request, slug):
    author = get_object_or_404(Author, slug=slug)
    articles = Article.objects.published().for_listing().filter(authors=author)
    page = Paginator(articles, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "articles/author_detail.html", {"author": author, "page": page})
