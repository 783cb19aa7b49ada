"""police.uk counts move from the PoliceCount table to the columnar store (Parquet files under
SAFERHUB_HOME, saferhub.performance.counts_store): the held force-months' rows are written to
one file (each force-month's part is its id), then the table is dropped."""

from django.db import migrations, models

CRIME_COLUMNS = (
    "anti_social_behaviour",
    "bicycle_theft",
    "burglary",
    "criminal_damage_arson",
    "drugs",
    "other_theft",
    "possession_of_weapons",
    "public_order",
    "robbery",
    "shoplifting",
    "theft_from_the_person",
    "vehicle_crime",
    "violent_crime",
    "other_crime",
)


def counts_to_store(apps, schema_editor):
    from saferhub.performance import counts_store

    if tuple(counts_store.CRIME_COLUMNS) != CRIME_COLUMNS:  # the files' columns, in their order
        raise RuntimeError("the counts columns changed: write this migration's copy against the old ones")
    PoliceCount = apps.get_model("performance", "PoliceCount")
    ForceMonth = apps.get_model("performance", "ForceMonth")
    if not ForceMonth.objects.exists():
        return
    rows = list(PoliceCount.objects.values_list("force_month_id", "area_kind", "area", *CRIME_COLUMNS))
    name = counts_store.write_rows(rows)
    for fm in ForceMonth.objects.all():
        fm.counts_file, fm.counts_part = name, fm.pk
        fm.save(update_fields=["counts_file", "counts_part"])


class Migration(migrations.Migration):
    dependencies = [
        ("performance", "0006_counts_by_lsoa"),
    ]

    operations = [
        migrations.AddField(
            model_name="forcemonth",
            name="counts_file",
            field=models.CharField(default="", max_length=64),
        ),
        migrations.AddField(
            model_name="forcemonth",
            name="counts_part",
            field=models.IntegerField(default=0),
        ),
        migrations.RunPython(counts_to_store, migrations.RunPython.noop),
        migrations.DeleteModel(
            name="PoliceCount",
        ),
    ]
