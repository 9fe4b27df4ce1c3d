"""Lead images and portraits become images.Image rows; each article's old lead image is
turned into one (the stored file is kept where it is, not copied)."""

import django.db.models.deletion
from django.db import migrations, models


def images_from_articles(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    Image = apps.get_model("images", "Image")
    for article in Article.objects.exclude(image="").exclude(image__isnull=True).iterator():
        image = Image.objects.create(
            file=article.image.name,
            width=article.image_width or 0,
            height=article.image_height or 0,
            description=article.image_alt,
        )
        Article.objects.filter(pk=article.pk).update(lead_image=image)


def articles_from_images(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    for article in Article.objects.exclude(lead_image=None).select_related("lead_image"):
        image = article.lead_image
        Article.objects.filter(pk=article.pk).update(
            image=image.file.name,
            image_width=image.width or None,
            image_height=image.height or None,
            image_alt=image.description,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0015_article_owner"),
        ("images", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="lead_image",
            field=models.ForeignKey(
                blank=True,
                help_text="Shown at the top of the article, on cards and on social cards. "
                "At least 1200 px wide, with a description and a credit.",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="lead_of",
                to="images.image",
            ),
        ),
        migrations.AddField(
            model_name="author",
            name="portrait",
            field=models.ForeignKey(
                blank=True,
                help_text="Shown square on the author's page: a head-and-shoulders picture.",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="portrait_of",
                to="images.image",
            ),
        ),
        migrations.RunPython(images_from_articles, articles_from_images, elidable=False),
    ]
