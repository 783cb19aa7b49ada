from django.db import migrations, models
import django.db.models.deletion


def existing_tokens_get_the_default(apps, schema_editor):
    # Tokens issued before scopes existed keep working, without sensitive figures.
    Token = apps.get_model("authtoken", "Token")
    TokenScopes = apps.get_model("api", "TokenScopes")
    TokenScopes.objects.bulk_create([TokenScopes(token_id=key, scopes="read")
                                     for key in Token.objects.values_list("key", flat=True)])


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("authtoken", "0004_alter_tokenproxy_options"),
    ]

    operations = [
        migrations.CreateModel(
            name="TokenScopes",
            fields=[
                ("token", models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True,
                                               related_name="scope_grant", serialize=False, to="authtoken.token")),
                ("scopes", models.CharField(default="read", max_length=200)),
            ],
            options={"verbose_name": "API token scopes", "verbose_name_plural": "API token scopes"},
        ),
        migrations.RunPython(existing_tokens_get_the_default, migrations.RunPython.noop),
    ]
