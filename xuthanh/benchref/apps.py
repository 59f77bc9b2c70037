from django.apps import AppConfig


class BenchRefConfig(AppConfig):
    name = "xuthanh.benchref"
    label = "benchref"
    verbose_name = "Benchmark reference"
