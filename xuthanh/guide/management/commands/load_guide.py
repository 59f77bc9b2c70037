"""manage.py load_guide: the shipped guided tours (xuthanh/guide/data/*.toml) and a narration for every
published attraction that has none (from its summary and description). Audio: render_guide_audio."""

from django.core.management.base import BaseCommand, CommandError

from xuthanh.guide import services


class Command(BaseCommand):
    help = "Load the guided tours and the places' narrations (no audio; see render_guide_audio)."

    def handle(self, *args: object, **options: object) -> None:
        try:
            tours = services.tours_load()
        except services.GuideDataError as exc:
            raise CommandError(str(exc)) from exc
        narrations = services.narrations_load()
        self.stdout.write(f"{tours} guided tours, {narrations} new place narrations")
