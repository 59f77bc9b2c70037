from django.core.management.base import BaseCommand

from xuthanh.plan import loader


class Command(BaseCommand):
    help = "Load the plan KH 115/KH-UBND (its sections, objectives, tasks and funding as written); idempotent."

    def handle(self, *args: object, **options: object) -> None:
        plan = loader.load()
        self.stdout.write(f"{plan}: {plan.tasks.count()} tasks, {plan.sections.count()} sections, "
                          f"{plan.objectives.count()} objectives")
