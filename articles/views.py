from django.core.paginator import InvalidPage, Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from .models import Article, Author, Section
from .structured_data import article_graph, json_ld_script
from .validators import UNSTORABLE

PAGE_SIZE = 20
# Longer than any real search; longer input is refused rather than silently cut.
SEARCH_MAX_LENGTH = 200


def paginate(request, queryset):
    """The requested page; a page that does not exist is a 404, not a quiet page 1."""
    try:
        return Paginator(queryset, PAGE_SIZE).page(request.GET.get("page", 1))
    except InvalidPage as error:
        raise Http404(f"No such page: {error}") from None


def home(request):
    page = paginate(request, Article.objects.published().for_listing())
    stories = list(page)
    lead = stories.pop(0) if page.number == 1 and stories else None
    return render(request, "articles/home.html", {"page": page, "lead": lead, "stories": stories})


def article_detail(request, slug):
    articles = Article.objects.for_page()
    article = articles.published().filter(slug=slug).first()
    preview = False
    if article is None and request.user.has_perm("articles.change_article"):
        article, preview = get_object_or_404(articles, slug=slug), True
    if article is None:
        raise Http404("No published article has this address.")
    return render(
        request,
        "articles/article_detail.html",
        {
            "article": article,
            "preview": preview,
            "related": article.related(),
            "structured_data": json_ld_script(article_graph(article)),
        },
    )


def section(request, slug):
    section = get_object_or_404(Section, slug=slug)
    page = paginate(request, Article.objects.published().for_listing().filter(section=section))
    return render(request, "articles/section_list.html", {"section": section, "page": page})


def author(request, slug):
    author = get_object_or_404(Author, slug=slug)
    page = paginate(request, Article.objects.published().for_listing().filter(authors=author))
    return render(request, "articles/author_detail.html", {"author": author, "page": page})


def search(request):
    query = " ".join(request.GET.get("q", "").split())
    context = {"query": query, "max_length": SEARCH_MAX_LENGTH}
    if len(query) > SEARCH_MAX_LENGTH or UNSTORABLE.search(query):
        context["error"] = (
            f"Searches are limited to {SEARCH_MAX_LENGTH} characters of ordinary text. "
            "Shorten the search and try again."
        )
        context["query"] = ""  # not echoed back: it may hold what a page cannot show
        return render(request, "articles/search.html", context, status=400)
    if query:
        context["page"] = paginate(request, Article.objects.published().for_listing().search(query))
    return render(request, "articles/search.html", context)
