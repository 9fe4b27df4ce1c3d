# Apart from 0016: PostgreSQL will not alter a table whose rows that transaction just changed.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("articles", "0016_lead_image")]

    operations = [
        migrations.RemoveField(model_name="article", name="image"),
        migrations.RemoveField(model_name="article", name="image_alt"),
        migrations.RemoveField(model_name="article", name="image_height"),
        migrations.RemoveField(model_name="article", name="image_width"),
    ]
