"""Restore an archive written by export_archive into an empty database."""

from django.core.management.base import BaseCommand, CommandError

from newsroom.archive import ArchiveError, restore_archive


class Command(BaseCommand):
    help = (
        "Restore an export_archive file into an empty, freshly migrated "
        "database and media directory, in one transaction, after checking it "
        "against its manifest and the ARCHIVE_MAX_* limits."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="the archive to read")

    def handle(self, *args, path, **options):
        self.stdout.write(f"Importing {path}…")
        try:
            summary = restore_archive(path, stdout=self.stdout, stderr=self.stderr)
        except ArchiveError as error:
            raise CommandError(error) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {summary.rows} rows and {summary.files} files; "
                "the search index is rebuilt."
            )
        )
