import pytest

from images.models import Image

from ..factories import ImageFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_click_on_the_preview_sets_the_focal_point(admin_page, live_server, artifacts):
    page = admin_page
    image = ImageFactory(size=(1600, 900))
    page.goto(f"{live_server.url}/admin/images/image/{image.pk}/change/")
    picture = page.locator("[data-focal-picker] img")
    dot = page.locator(".focal-picker__dot")
    dot.wait_for(state="visible")  # the script drew it at the stored point
    box = picture.bounding_box()
    picture.click(position={"x": box["width"] * 0.25, "y": box["height"] * 0.75})
    assert float(page.input_value("input[name=focal_x]")) == pytest.approx(0.25, abs=0.01)
    assert float(page.input_value("input[name=focal_y]")) == pytest.approx(0.75, abs=0.01)
    dot_box = dot.bounding_box()
    centre_x = dot_box["x"] + dot_box["width"] / 2 - box["x"]
    centre_y = dot_box["y"] + dot_box["height"] / 2 - box["y"]
    assert centre_x == pytest.approx(box["width"] * 0.25, abs=3)
    assert centre_y == pytest.approx(box["height"] * 0.75, abs=3)
    page.screenshot(path=str(artifacts / "image-admin-focal-point.png"))
    page.click("input[name=_continue]")
    page.locator(".messagelist .success").wait_for()
    image = Image.objects.get(pk=image.pk)
    assert (image.focal_x, image.focal_y) == (pytest.approx(0.25, abs=0.01),
                                              pytest.approx(0.75, abs=0.01))  # fmt: skip
    assert page.js_errors == []
