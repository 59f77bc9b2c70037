"""A trip's edit link, apart from its share link (#16): every existing trip gets its own new edit token. The
share links already given out become view links: they show the trip and no longer change it."""

from django.db import migrations, models

import xuthanh.itinerary.models


def give_edit_tokens(apps, schema_editor):
    Trip = apps.get_model("itinerary", "Trip")
    for trip in Trip.objects.filter(edit_token__isnull=True).only("pk").iterator():
        Trip.objects.filter(pk=trip.pk).update(edit_token=xuthanh.itinerary.models.new_share_token())


class Migration(migrations.Migration):
    dependencies = [("itinerary", "0002_trip_locked")]

    operations = [
        migrations.AddField(
            model_name="trip",
            name="edit_token",
            field=models.CharField(editable=False, max_length=64, null=True, verbose_name="edit token"),
        ),
        migrations.RunPython(give_edit_tokens, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="trip",
            name="edit_token",
            field=models.CharField(
                default=xuthanh.itinerary.models.new_share_token,
                editable=False,
                help_text="The key of the edit link: whoever holds it may change the trip. The share token only shows it.",
                max_length=64,
                unique=True,
                verbose_name="edit token",
            ),
        ),
    ]
