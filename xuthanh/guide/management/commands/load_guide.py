"""manage.py load_guide [--update]: the shipped guided tours (xuthanh/guide/data/tours*.toml; new ones only
unless --update), their 360° scenes with generated sample panoramas (data/scenes.toml), and a narration
for every published attraction that has none (from its summary and description). Audio:
render_guide_audio."""

from django.core.management.base import BaseCommand, CommandError, CommandParser

from xuthanh.guide import services


class Command(BaseCommand):
    help = "Load the guided tours and the places' narrations (no audio; see render_guide_audio)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--update", action="store_true",
                            help="also overwrite the tours already in the database from the files")

    def handle(self, *args: object, **options: object) -> None:
        try:
            tours = services.tours_load(update=options["update"])
            scenes = services.scenes_load(update=options["update"])
        except services.GuideDataError as exc:
            raise CommandError(str(exc)) from exc
        narrations = services.narrations_load()
        self.stdout.write(f"{tours} guided tours written, {scenes} 360° scenes, {narrations} new place narrations")
