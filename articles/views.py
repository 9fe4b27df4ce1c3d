import re

from django.conf import settings
from django.contrib.sitemaps import views as sitemap_views
from django.contrib.sitemaps.views import SitemapIndexItem
from django.core import signing
from django.core.paginator import InvalidPage, Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.http import http_date

from live.markdown import updates_markdown
from live.pages import live_headers
from pages.decorators import cache_public_page

from . import ai_preferences, workflow
from .ai_preferences import site_content_usage
from .article_markdown import export
from .article_pages import render_article_page
from .canonical import absolute_url
from .models import Article, Author, Correction, Section, SitePage, Status
from .negotiation import prefers_markdown
from .query_limits import QueryTooSlow, only_negated, statement_timeout
from .site_pages import footer_links
from .sitemaps import SITEMAPS, NewsSitemap
from .structured_data import home_graph, json_ld_script, profile_graph
from .validators import UNSTORABLE

PAGE_SIZE = 20
LLMS_TXT_SIZE = 50
MARKDOWN_CONTENT_TYPE = "text/markdown; charset=utf-8"
# Longer than any real search; longer input is refused rather than silently cut.
SEARCH_MAX_LENGTH = 200


def paginate(request, queryset):
    """The requested page; a page that does not exist is a 404, not a quiet page 1."""
    try:
        return Paginator(queryset, PAGE_SIZE).page(request.GET.get("page", 1))
    except InvalidPage as error:
        raise Http404(f"No such page: {error}") from None


@cache_public_page(params=["page"], stored="listing")
@site_content_usage
def home(request):
    page = paginate(request, Article.objects.published().for_listing())
    stories = list(page)
    lead = stories.pop(0) if page.number == 1 and stories else None
    return render(
        request,
        "articles/home.html",
        {
            "page": page,
            "lead": lead,
            "stories": stories,
            "structured_data": json_ld_script(home_graph()),
        },
    )


@cache_public_page(stored="article")
def article_detail(request, slug):
    """The article page; with `Accept: text/markdown`, its Markdown form where one exists.
    Both variants say `Vary: Accept`, and the page cache and Varnish key them apart."""
    response = markdown_response(slug) if prefers_markdown(request) else None
    if response is None:
        response = article_page(request, slug)
    patch_vary_headers(response, ["Accept"])
    return response


def article_page(request, slug):
    # With its live coverage, if any (live/), in the same query.
    articles = Article.objects.for_page().select_related("coverage")
    article = articles.published().filter(slug=slug).first()
    if article is not None:
        response = HttpResponse(render_article_page(article))
        response["Last-Modified"] = http_date(article.updated_at.timestamp())
        response["Content-Usage"] = ai_preferences.article_preferences(article).content_usage()
        return live_headers(response, article)
    if request.user.has_perm("articles.change_article"):
        article = Article.objects.for_page().filter(slug=slug).first()
        if article is not None:
            return private_preview(HttpResponse(render_article_page(article, preview=True)))
    return moved_or_gone(request, slug, "articles:detail")


def shared_preview(request, token):
    """An unpublished article for an outside reviewer holding an editor's signed link."""
    try:
        pk, key = workflow.shared_article_pk(token)
    except signing.SignatureExpired:
        response = render(request, "articles/share_link_expired.html", status=410)
        return private_preview(response)
    except signing.BadSignature as error:
        raise Http404("This preview link is not valid.") from error
    article = get_object_or_404(Article.objects.for_page(), pk=pk)
    if not workflow.share_link_works(article, key):
        response = render(request, "articles/share_link_expired.html", status=410)
        return private_preview(response)
    return private_preview(HttpResponse(render_article_page(article, preview=True)))


def private_preview(response):
    """Keep previews out of search engines, shared caches and other sites' referrer logs."""
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response


@cache_public_page(params=["page"])
@site_content_usage
def corrections(request):
    entries = Correction.objects.public().select_related("article").order_by("-corrected_at")
    return render(request, "articles/corrections.html", {"page": paginate(request, entries)})


def article_without_slash(request, slug):
    return moved_or_gone(request, slug, "articles:detail")


@cache_public_page
def article_markdown(request, slug):
    response = markdown_response(slug)
    if response is None:
        if Article.objects.published().filter(slug=slug).exists():
            raise Http404("This article is not offered as Markdown.")
        return moved_or_gone(request, slug, "articles:markdown")
    return response


def markdown_response(slug):
    """The published article as Markdown, or None when there is none or its AI-use
    preferences keep it from AI input (then it has no Markdown form at all)."""
    articles = Article.objects.for_page()
    article = articles.published().filter(slug=slug).first()
    if article is None:
        return None
    preferences = ai_preferences.article_preferences(article)
    if not preferences.machine_readable:
        return None
    document = export(article) + updates_markdown(article)
    response = HttpResponse(document, content_type=MARKDOWN_CONTENT_TYPE)
    response["Link"] = f'<{article.get_canonical_url()}>; rel="canonical"'
    response["Content-Usage"] = preferences.content_usage()
    return response


def moved_or_gone(request, slug, url_name):
    """For an address that is not a published article's current one: a 301 to that article's
    current address (old slug, capitals, no trailing slash), a 410 when the article was
    withdrawn, and a 404 for drafts, scheduled articles and addresses we never had."""
    candidates = {slug, slug.lower()}
    article = (
        Article.objects.filter(Q(slug__in=candidates) | Q(old_slugs__slug__in=candidates))
        .order_by("-pk")
        .first()
    )
    if article is None:
        raise Http404("No published article has this address.")
    if article.status == Status.UNPUBLISHED:
        return render(request, "410.html", status=410)
    if not article.is_public:
        raise Http404("No published article has this address.")
    return HttpResponsePermanentRedirect(absolute_url(reverse(url_name, args=[article.slug])))


@cache_public_page(params=["page"], stored="listing")
@site_content_usage
def section(request, slug):
    section = get_object_or_404(Section, slug=slug)
    page = paginate(request, Article.objects.published().for_listing().filter(section=section))
    return render(request, "articles/section_list.html", {"section": section, "page": page})


@cache_public_page(params=["page"], stored="listing")
@site_content_usage
def author(request, slug):
    author = get_object_or_404(
        Author.objects.select_related("portrait").prefetch_related("portrait__renditions"),
        slug=slug,
    )
    page = paginate(request, Article.objects.published().for_listing().filter(authors=author))
    structured_data = json_ld_script(profile_graph(author))
    context = {"author": author, "page": page, "structured_data": structured_data}
    return render(request, "articles/author_detail.html", context)


@cache_public_page(params=["q", "page"])
@site_content_usage
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
    if only_negated(query):
        context["error"] = "Search for at least one word, not only words to leave out."
        return render(request, "articles/search.html", context, status=400)
    if query:
        try:
            with statement_timeout():
                page = paginate(request, Article.objects.published().for_listing().search(query))
                page.object_list = list(page.object_list)
        except QueryTooSlow:
            context["error"] = "That search took too long. Try fewer or more specific words."
            return render(request, "articles/search.html", context, status=503)
        context["page"] = page
    return render(request, "articles/search.html", context)


@cache_public_page
def robots_txt(request):
    """A group for every known AI crawler from the AI-use preferences, then everyone else."""
    site = ai_preferences.site_preferences()
    overridden = [
        (article, ai_preferences.article_preferences(article, site))
        for article in Article.objects.published()
        .exclude(ai_training="", ai_answers="", ai_user_fetch="")
        .only("slug", "ai_training", "ai_answers", "ai_user_fetch")
        .order_by("pk")
    ]
    groups = []
    for agent, use in ai_preferences.KNOWN_AGENTS.items():
        rules, open_by_default = ai_preferences.robots_rules(agent, site, overridden)
        groups.append({"agent": agent, "use": use, "rules": rules, "open": open_by_default})
    return render(
        request,
        "robots.txt",
        {
            # A custom admin address is kept out of sight: listing it here would publish it.
            "admin_path": settings.ADMIN_PATH if settings.ADMIN_PATH == "admin/" else "",
            "groups": groups,
            "content_signal": site.content_signal(),
        },
        content_type="text/plain; charset=utf-8",
    )


def llms_entries(articles):
    return [
        {
            "title": markdown_link_text(article.title),
            "url": article.get_markdown_url(),
            "standfirst": " ".join(article.standfirst.split()),
        }
        for article in articles
    ]


def machine_readable_articles(limit, *, full=False):
    """The newest published articles whose preferences allow AI input (and, for the full
    file, training), read in batches so overrides never shorten the list below `limit`."""
    site = ai_preferences.site_preferences()
    chosen, offset, batch = [], 0, limit
    while len(chosen) < limit:
        rows = list(Article.objects.published()[offset : offset + batch])
        for article in rows:
            preferences = ai_preferences.article_preferences(article, site)
            if preferences.in_llms_full if full else preferences.machine_readable:
                chosen.append(article)
        if len(rows) < batch:
            break
        offset += batch
    return chosen[:limit]


@cache_public_page
@site_content_usage
def llms_txt(request):
    """The llms.txt proposal: H1, a blockquote summary, then sections of links to Markdown."""
    entries = llms_entries(machine_readable_articles(LLMS_TXT_SIZE))
    full_url = absolute_url(reverse("articles:llms-full"))
    site_pages = [
        {"title": markdown_link_text(title), "url": absolute_url(path)}
        for title, path in footer_links()
    ]
    response = render(
        request,
        "llms.txt",
        {
            "entries": entries,
            "site_description": " ".join(settings.SITE_DESCRIPTION.split()),
            "site_pages": site_pages,
            "full_url": full_url,
        },
        content_type="text/plain; charset=utf-8",
    )
    # The same links as relations, for clients that read headers before bodies.
    links = [f'<{full_url}>; rel="alternate"; type="text/plain"']
    links += [f'<{entry["url"]}>; rel="item"; type="text/markdown"' for entry in entries]
    response["Link"] = ", ".join(links)
    return response


@cache_public_page
@site_content_usage
def llms_full_txt(request):
    """The recent articles' full Markdown, newest first, within both bounds (articles, bytes)."""
    header = f"# {settings.SITE_NAME}\n\n> {' '.join(settings.SITE_DESCRIPTION.split())}\n"
    parts, size = [header], len(header.encode())
    articles = machine_readable_articles(settings.LLMS_FULL_MAX_ARTICLES, full=True)
    prefetched = (
        Article.objects.for_page()
        .prefetch_related("callouts")
        .in_bulk([article.pk for article in articles])
    )
    for article in articles:
        document = "\n---\n\n" + export(prefetched[article.pk])
        if size + len(document.encode()) > settings.LLMS_FULL_MAX_BYTES:
            break
        parts.append(document)
        size += len(document.encode())
    return HttpResponse("".join(parts), content_type="text/plain; charset=utf-8")


@cache_public_page
@site_content_usage
def site_page(request, kind):
    page = get_object_or_404(SitePage, kind=kind)
    return render(request, "articles/site_page.html", {"site_page": page})


def markdown_link_text(value):
    """One line of text that cannot end a Markdown link early."""
    return re.sub(r"([\\\[\]])", r"\\\1", " ".join(value.split()))


@cache_public_page(params=["p"], stored="listing")
def sitemap_index(request):
    """Django's index view names sitemaps by the request's host; ours are on SITE_URL.
    Each sitemap is split into pages of Sitemap.limit URLs (50,000, the protocol's limit)."""
    entries = []
    for section, sitemap_class in SITEMAPS.items():
        sitemap = sitemap_class()
        location = absolute_url(reverse("articles:sitemap-section", args=[section]))
        lastmod = sitemap.get_latest_lastmod()
        entries.append(SitemapIndexItem(location, lastmod))
        entries += [
            SitemapIndexItem(f"{location}?p={page}", lastmod)
            for page in range(2, sitemap.paginator.num_pages + 1)
        ]
    response = TemplateResponse(
        request, "sitemap_index.xml", {"sitemaps": entries}, content_type="application/xml"
    )
    response["X-Robots-Tag"] = "noindex, noodp, noarchive"
    return response


@cache_public_page(params=["p"], stored="listing")
def news_sitemap(request):
    response = sitemap_views.sitemap(
        request, {"news": NewsSitemap}, section="news", template_name="sitemaps/news.xml"
    )
    # news:language is an ISO 639 code: "en", not "en-us" (Chinese keeps its script).
    language = settings.LANGUAGE_CODE.lower()
    response.context_data["news_language"] = (
        language if language in ("zh-cn", "zh-tw") else language.split("-")[0]
    )
    return response
