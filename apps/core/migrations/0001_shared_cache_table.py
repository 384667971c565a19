"""Create the database cache table (settings.CACHES) with the schema, so that `migrate` alone gives a
working deployment: rate limits and other shared state need it on the first request."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = []

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
