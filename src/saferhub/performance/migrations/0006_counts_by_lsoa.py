"""police.uk counts are kept by LSOA code (area_kind "lsoa") instead of by local authority
name: counts of the old layout cannot be split into LSOAs, so their force-months are dropped
(the import history stays) and importing the same files again loads them by LSOA."""

from django.db import migrations


def drop_old_layout(apps, schema_editor):
    PoliceCount = apps.get_model("performance", "PoliceCount")
    ForceMonth = apps.get_model("performance", "ForceMonth")
    old = PoliceCount.objects.filter(area_kind="la").values("force_month_id")
    ForceMonth.objects.filter(pk__in=old).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("performance", "0005_upload"),
        ("partnerships", "0003_area_by_lsoa"),
    ]

    operations = [migrations.RunPython(drop_old_layout, migrations.RunPython.noop)]
