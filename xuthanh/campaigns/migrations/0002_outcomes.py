from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("campaigns", "0001_initial")]

    operations = [
        migrations.RemoveConstraint(model_name="clickhour", name="campaign_click_hour"),
        migrations.RemoveConstraint(model_name="clickday", name="campaign_click_day"),
        migrations.RenameField(model_name="clickhour", old_name="clicks", new_name="count"),
        migrations.RenameField(model_name="clickday", old_name="clicks", new_name="count"),
        migrations.AddField(
            model_name="clickhour", name="kind",
            field=models.CharField(choices=[("click", "clicks"), ("view", "pages viewed"), ("trip", "trips planned"),
                                            ("install", "app installs"), ("entry", "contest entries")],
                                   default="click", max_length=8),
        ),
        migrations.AddField(
            model_name="clickday", name="kind",
            field=models.CharField(choices=[("click", "clicks"), ("view", "pages viewed"), ("trip", "trips planned"),
                                            ("install", "app installs"), ("entry", "contest entries")],
                                   default="click", max_length=8),
        ),
        migrations.AlterField(model_name="clickhour", name="count", field=models.PositiveIntegerField(default=0)),
        migrations.AlterField(model_name="clickday", name="count", field=models.PositiveIntegerField(default=0)),
        migrations.AddConstraint(
            model_name="clickhour",
            constraint=models.UniqueConstraint(fields=("link", "hour", "kind"), name="campaign_count_hour"),
        ),
        migrations.AddConstraint(
            model_name="clickday",
            constraint=models.UniqueConstraint(fields=("link", "day", "kind"), name="campaign_count_day"),
        ),
        migrations.CreateModel(
            name="Fold",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("token", models.CharField(max_length=40, unique=True)),
                ("at", models.DateTimeField(auto_now_add=True, db_index=True)),
            ],
        ),
    ]
