"""The plan's target markets with their researched defaults (data/markets.toml, each fact with its source)."""

from __future__ import annotations

import tomllib
from pathlib import Path

from django.db import transaction

from xuthanh.campaigns.models import Market

DATA = Path(__file__).resolve().parent / "data" / "markets.toml"


@transaction.atomic
def load(path: Path = DATA) -> int:
    """Markets stored or updated from the file (their facts replaced); the number read. Idempotent."""
    rows = tomllib.loads(path.read_text(encoding="utf-8"))["market"]
    for position, row in enumerate(rows):
        market, _created = Market.objects.update_or_create(code=row["code"], defaults={
            "kind": row["kind"], "languages": row.get("languages", []), "networks": row.get("networks", []),
            "position": position,
            "facts": {k: row[k] for k in ("network_facts", "seasons", "arrivals", "sources", "notes") if k in row},
        })
        for lang, key in (("vi", "name_vi"), ("en", "name_en")):
            market.set_current_language(lang)
            market.name = row[key]
        market.save()
    return len(rows)
