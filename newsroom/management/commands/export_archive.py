"""Write the whole site, every version and every upload, to one archive file."""

from django.core.management.base import BaseCommand, CommandError

from newsroom.archive import ArchiveError, write_archive


class Command(BaseCommand):
    help = (
        "Write the database and the uploaded files to one zip archive that "
        "import_archive restores (see docs/operations.md, 'Backups and archives')."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="the archive to write, e.g. site.zip")
        parser.add_argument(
            "--without-personal-data",
            action="store_true",
            help=(
                "leave out followers' addresses, readers' reports of errors and "
                "staff notes on them"
            ),
        )

    def handle(self, *args, path, without_personal_data, **options):
        self.stdout.write(f"Writing {path}…")
        try:
            summary = write_archive(path, personal_data=not without_personal_data)
        except ArchiveError as error:
            raise CommandError(error) from error
        for entry in summary.missing_files:
            self.stderr.write(
                f"Left out {entry['name']} ({entry['model']}): the file is "
                "missing from storage."
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Wrote {path}: {summary.rows} rows, {summary.files} files."
            )
        )
