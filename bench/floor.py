"""The benchmark's floor: a bare Django view returning fixed bytes through the same stack."""

from django.conf import settings
from django.http import HttpResponse

_body = []


def floor(request):
    if not _body:
        with open(settings.BENCH_FLOOR_FILE, "rb") as file:
            _body.append(file.read())
    return HttpResponse(_body[0], content_type="text/html; charset=utf-8")
