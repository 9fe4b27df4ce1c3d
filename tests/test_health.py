import json

import pytest
from django.db import OperationalError
from django.test import Client


def test_healthz_answers_ok_without_touching_the_database(client):
    # No django_db mark: any query here would fail the test.
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_readyz_reports_database_and_cache_ok(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert json.loads(response.content) == {
        "status": "ok",
        "checks": {"database": True, "cache": True},
        "failed": [],
    }


@pytest.mark.django_db
def test_readyz_names_the_database_when_it_is_unreachable(client, monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr("insidersfeed.health.connection.cursor", refuse)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert json.loads(response.content)["failed"] == ["database"]


@pytest.mark.django_db
def test_readyz_names_the_cache_when_it_is_unreachable(client, monkeypatch):
    monkeypatch.setattr("insidersfeed.health.cache.get", lambda *a, **k: None)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert json.loads(response.content)["failed"] == ["cache"]


def test_health_probes_refuse_writes(client):
    assert client.post("/healthz").status_code == 405


@pytest.mark.django_db
def test_a_lost_database_in_a_view_is_a_branded_503_with_retry_after(monkeypatch):
    from articles import views

    def lost(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(views.Article.objects, "published", lost)
    response = Client(raise_request_exception=False).get("/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response["Cache-Control"] == "no-store"
    assert b"We will be back in a moment" in response.content
