"""Newsroom people: group membership makes staff; authors are an editor's to add or change."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from articles.models import Author

from .admin_forms import form_fields
from .factories import AuthorFactory
from .pages import soup, text

pytestmark = pytest.mark.django_db


def test_adding_a_user_to_journalist_in_the_admin_makes_them_staff(staff_client, django_user_model):
    user = django_user_model.objects.create_user("newhire", password="a-long-test-password")
    url = reverse("admin:auth_user_change", args=[user.pk])
    page = staff_client.get(url)
    assert "makes them staff" in page.content.decode()
    data = form_fields(page, form_id="user_form")
    data["groups"] = [str(Group.objects.get(name="Journalist").pk)]
    response = staff_client.post(url, data, follow=True)
    assert response.status_code == 200
    user.refresh_from_db()
    assert user.is_staff
    assert any("now staff" in text(li) for li in soup(response).select(".messagelist li"))
    newcomer = Client()
    newcomer.force_login(user)
    assert newcomer.get(reverse("admin:index")).status_code == 200


def test_a_user_in_no_newsroom_group_stays_as_they_are(staff_client, django_user_model):
    user = django_user_model.objects.create_user("reader", password="a-long-test-password")
    url = reverse("admin:auth_user_change", args=[user.pk])
    staff_client.post(url, form_fields(staff_client.get(url), form_id="user_form"))
    user.refresh_from_db()
    assert not user.is_staff


def test_a_journalist_cannot_add_or_change_an_author(journalist_client):
    author = AuthorFactory(name="Real Person")
    add = reverse("admin:articles_author_add")
    data = {"name": "Fake Byline", "slug": "fake", "kind": "person"}
    response = journalist_client.post(add, data)
    assert response.status_code == 403
    assert not Author.objects.filter(slug="fake").exists()
    change = reverse("admin:articles_author_change", args=[author.pk])
    journalist_client.post(change, {"name": "Renamed", "slug": author.slug, "kind": "person"})
    author.refresh_from_db()
    assert author.name == "Real Person"
    assert Client().get(reverse("articles:author", args=["fake"])).status_code == 404


def test_an_editor_adds_an_author(editor_client):
    add = reverse("admin:articles_author_add")
    data = {"name": "New Writer", "slug": "new-writer", "kind": "person"}
    response = editor_client.post(add, data)
    assert response.status_code == 302
    assert Author.objects.filter(slug="new-writer").exists()


def test_a_login_has_one_byline_and_the_form_names_the_other(editor_client, journalist):
    AuthorFactory(name="Jo Writer", user=journalist)
    data = {"name": "Jo Again", "slug": "jo-again", "kind": "person", "user": str(journalist.pk)}
    page = soup(editor_client.post(reverse("admin:articles_author_add"), data))
    errors = [text(li) for li in page.select(".field-user .errorlist li")]
    assert errors == [
        "jo already has a byline: “Jo Writer”. One login has one byline; unlink it there "
        "first, or choose that byline on the article."
    ]
    assert not Author.objects.filter(slug="jo-again").exists()
    data["user"] = ""
    assert editor_client.post(reverse("admin:articles_author_add"), data).status_code == 302
