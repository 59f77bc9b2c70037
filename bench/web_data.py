"""Data for bench/web.py, run by it inside the benchmark's environment (its database, its XUTHANH_VAR_DIR).

    python bench/web_data.py client              # prints a partner API key (no rate limit in practice)
    python bench/web_data.py count               # prints the number of published places
    python bench/web_data.py synthetic 100000    # adds generated places until there are 100,000, reindexes
    python bench/web_data.py urls DIR            # writes the URL mixes (one file of paths per mix) into DIR

Generated places look like the real ones: Vietnamese-like names from syllables with a prefix fitting their
category ("Đền Hòa Lộc", "Khách sạn Xuân Phong"), a point inside the province (xuthanh.areas.boundary), a
random commune and its former district, 1–3 interests, opening hours for most, a Vietnamese and an English
translation, published. Rows go in with bulk_create in batches (places, translations, interests, hours),
then the search index is rebuilt with the search app's reindex (and, on PostgreSQL, VACUUM ANALYZE, as
autovacuum would do soon after such a load). Progress goes to stderr.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xuthanh.settings")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402
from django.utils.text import slugify  # noqa: E402

from xuthanh.api.models import ApiClient  # noqa: E402
from xuthanh.areas.boundary import in_province  # noqa: E402
from xuthanh.areas.models import Commune  # noqa: E402
from xuthanh.catalog.models import OpeningRule, Place, Tag  # noqa: E402
from xuthanh.core.models import Status, TranslationStatus  # noqa: E402
from xuthanh.core.text import fold  # noqa: E402
from xuthanh.search.services import reindex  # noqa: E402

BATCH = 2000
BOX = (19.25, 20.70, 104.35, 106.10)  # lat min/max, lon min/max around the province
CELL = 0.02  # degrees; cells whose corners are all in the province need no per-point check

SYLLABLES = [
    "Thanh",
    "Hòa",
    "Lộc",
    "Xuân",
    "Phú",
    "Quang",
    "Hưng",
    "Minh",
    "An",
    "Bình",
    "Đông",
    "Sơn",
    "Hải",
    "Tiến",
    "Nga",
    "Hoằng",
    "Nông",
    "Cống",
    "Thọ",
    "Vĩnh",
    "Yên",
    "Định",
    "Thiệu",
    "Triệu",
    "Hà",
    "Trung",
    "Nam",
    "Bắc",
    "Tân",
    "Long",
    "Phong",
    "Khánh",
    "Mỹ",
    "Đức",
    "Ngọc",
    "Kim",
    "Hồng",
    "Lam",
    "Nhã",
    "Hồ",
    "Đạt",
    "Tĩnh",
    "Gia",
    "Cẩm",
    "Thủy",
    "Lang",
    "Chánh",
    "Mường",
    "Lát",
    "Luông",
    "Hiền",
    "Uyên",
    "Nhân",
    "Nghĩa",
    "Quý",
    "Lương",
    "Sầm",
    "Vân",
    "Tường",
    "Hợp",
    "Thành",
    "Tây",
    "Đồng",
    "Thịnh",
    "Phúc",
    "Lợi",
    "Ninh",
    "Trường",
    "Giang",
    "Châu",
    "Linh",
    "Hoa",
    "Mai",
    "Đào",
    "Trúc",
    "Liên",
    "Hương",
]
PREFIXES = {
    "heritage": ["Khu di tích", "Thành cổ"],
    "relic": ["Di tích", "Nhà thờ họ", "Đình"],
    "temple": ["Đền", "Chùa", "Phủ", "Miếu", "Nghè"],
    "museum": ["Bảo tàng", "Nhà trưng bày"],
    "beach": ["Bãi biển", "Bãi tắm"],
    "nature": ["Khu bảo tồn", "Rừng"],
    "cave": ["Động", "Hang"],
    "waterfall": ["Thác", "Suối"],
    "craft_village": ["Làng nghề", "Làng"],
    "community": ["Bản", "Làng du lịch cộng đồng"],
    "landscape": ["Hồ", "Núi", "Đảo", "Đầm"],
    "monument": ["Tượng đài", "Quảng trường"],
    "entertainment": ["Công viên", "Khu vui chơi"],
    "hotel": ["Khách sạn"],
    "resort": ["Khu nghỉ dưỡng"],
    "homestay": ["Homestay", "Nhà sàn"],
    "guesthouse": ["Nhà nghỉ"],
    "restaurant": ["Nhà hàng", "Quán ăn"],
    "street_food": ["Quán", "Bún chả", "Nem chua"],
    "cafe": ["Cà phê"],
    "market": ["Chợ"],
    "souvenir": ["Cửa hàng đặc sản"],
    "mall": ["Trung tâm thương mại"],
    "airport": ["Sân bay"],
    "railway_station": ["Ga"],
    "border_gate": ["Cửa khẩu"],
    "bus_station": ["Bến xe"],
    "seaport": ["Cảng"],
    "tourist_info": ["Điểm thông tin du lịch"],
    "travel_agency": ["Công ty lữ hành"],
    "other": ["Dịch vụ"],
}
KIND_WEIGHTS = {
    "attraction": 25,
    "accommodation": 25,
    "food": 30,
    "shopping": 10,
    "transport": 2,
    "service": 8,
}
HOURS = [
    (dt.time(7, 0), dt.time(17, 0)),
    (dt.time(6, 30), dt.time(18, 0)),
    (dt.time(8, 0), dt.time(22, 0)),
    (dt.time(10, 0), dt.time(2, 0)),
]


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def api_client() -> str:
    """A partner key for the load generator: anonymous clients are limited to API_ANONYMOUS_PER_MINUTE."""
    client = ApiClient(name="bench/web.py load generator", requests_per_minute=2_000_000_000)
    key = client.issue_key()
    client.save()
    return key


class PointSampler:
    """Uniform points in the province: a grid of CELL-degree cells, corners tested once with in_province;
    points in cells whose four corners are in are kept, points in border cells are tested one by one."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        lat0, lat1, lon0, lon1 = BOX
        rows, cols = int((lat1 - lat0) / CELL) + 1, int((lon1 - lon0) / CELL) + 1
        corner = [[in_province(lat0 + r * CELL, lon0 + c * CELL) for c in range(cols + 1)] for r in range(rows + 1)]
        self.cells: list[tuple[float, float, bool]] = []
        for r in range(rows):
            for c in range(cols):
                corners = (corner[r][c], corner[r + 1][c], corner[r][c + 1], corner[r + 1][c + 1])
                if any(corners):
                    self.cells.append((lat0 + r * CELL, lon0 + c * CELL, all(corners)))
        # Cells with only some corners in are partly outside; the per-point check rejects those points.
        self.checked = self.rejected = 0

    def point(self) -> tuple[float, float]:
        while True:
            lat, lon, interior = self.rng.choice(self.cells)
            lat, lon = lat + self.rng.random() * CELL, lon + self.rng.random() * CELL
            if interior:
                return round(lat, 6), round(lon, 6)
            self.checked += 1
            if in_province(lat, lon):
                return round(lat, 6), round(lon, 6)
            self.rejected += 1


def _name(rng: random.Random, category: str) -> str:
    words = rng.sample(SYLLABLES, rng.choice((2, 2, 2, 3)))
    return f"{rng.choice(PREFIXES[category])} {' '.join(words)}"


def synthetic(total: int, *, seed: int = 20250701) -> None:
    rng = random.Random(seed)
    existing = Place.objects.count()
    wanted = total - existing
    if wanted <= 0:
        say(f"synthetic: {existing} places already, nothing to add")
        return
    started = time.monotonic()
    communes = list(Commune.objects.all())
    tag_ids = list(Tag.objects.values_list("slug", "pk"))
    kinds = list(KIND_WEIGHTS)
    weights = list(KIND_WEIGHTS.values())
    sampler = PointSampler(rng)
    translation_model = Place._parler_meta.root_model
    through = Place.tags.through
    now = timezone.now()
    say(f"synthetic: adding {wanted} places to {existing} ({len(sampler.cells)} grid cells)")
    done = 0
    while done < wanted:
        size = min(BATCH, wanted - done)
        places, texts, tags, hours = [], [], [], []
        for i in range(size):
            number = existing + done + i
            kind = rng.choices(kinds, weights)[0]
            category = rng.choice(sorted(Place.CATEGORIES_BY_KIND[kind]))
            name = _name(rng, category)
            commune = rng.choice(communes)
            district = commune.former_districts.split(",")[0].strip()
            lat, lon = sampler.point()
            chosen = rng.sample(tag_ids, rng.randint(1, 3))
            slug = f"{slugify(fold(name))}-{number:06d}"
            address = f"{commune.name}, Thanh Hóa"
            words = [slug.replace("-", " "), name, district, address, commune.name, commune.former_districts]
            words += [tag_slug for tag_slug, _pk in chosen]
            search_text = " ".join(dict.fromkeys(fold(" ".join(words)).split()))
            places.append(
                Place(
                    slug=slug,
                    kind=kind,
                    category=category,
                    commune=commune,
                    former_district=district,
                    address=address,
                    lat=lat,
                    lon=lon,
                    visit_minutes=rng.choice((30, 45, 60, 90, 120)),
                    always_open=kind == "transport" or rng.random() < 0.05,
                    stars=rng.randint(1, 5) if kind == "accommodation" and rng.random() < 0.4 else None,
                    rooms=rng.randint(4, 300) if kind == "accommodation" else None,
                    phone=f"0237 {rng.randint(3000000, 3999999)}" if rng.random() < 0.5 else "",
                    popularity=int(rng.triangular(1, 70, 20)),
                    status=Status.PUBLISHED,
                    published_at=now,
                    search_text=search_text,
                    sources="generated by bench/web_data.py",
                )
            )
            texts.append((name, commune.name, [tag_slug for tag_slug, _pk in chosen]))
            tags.append([pk for _slug, pk in chosen])
            hours.append(rng.choice(HOURS) if rng.random() < 0.7 else None)
        with transaction.atomic():
            Place.objects.bulk_create(places)  # primary keys come back (RETURNING on SQLite and PostgreSQL)
            rows = []
            for place, (name, commune_name, tag_slugs) in zip(places, texts, strict=True):
                interests = ", ".join(tag_slugs)
                rows.append(
                    translation_model(
                        master_id=place.pk,
                        language_code="vi",
                        name=name,
                        summary=f"{name} ở {commune_name}, tỉnh Thanh Hóa; phù hợp với {interests}.",
                        description=f"{name} là một điểm {place.get_category_display()} ở {commune_name}.",
                        translation_status=TranslationStatus.REVIEWED,
                    )
                )
                rows.append(
                    translation_model(
                        master_id=place.pk,
                        language_code="en",
                        name=name,
                        summary=f"{name} in {commune_name}, Thanh Hóa province; good for {interests}.",
                        translation_status=TranslationStatus.MACHINE,
                    )
                )
            translation_model.objects.bulk_create(rows, batch_size=BATCH)
            through.objects.bulk_create(
                [through(place_id=p.pk, tag_id=t) for p, ids in zip(places, tags, strict=True) for t in ids],
                batch_size=BATCH,
            )
            OpeningRule.objects.bulk_create(
                [
                    OpeningRule(place_id=p.pk, weekdays="0123456", opens=h[0], closes=h[1])
                    for p, h in zip(places, hours, strict=True)
                    if h is not None and not p.always_open
                ],
                batch_size=BATCH,
            )
        done += size
        rate = done / max(0.001, time.monotonic() - started)
        say(f"\r  places {done}/{wanted} ({rate:.0f}/s)")
    say(
        f"synthetic: {wanted} places in {time.monotonic() - started:.0f} s "
        f"({sampler.checked} border points checked, {sampler.rejected} outside rejected); reindexing…"
    )
    started = time.monotonic()
    last = [0.0]

    def progress(done: int, total: int) -> None:
        if time.monotonic() - last[0] > 5 or done == total:
            last[0] = time.monotonic()
            say(f"  index {done}/{total}")

    count = reindex(progress=progress, batch=2000)
    say(f"synthetic: indexed {count} items in {time.monotonic() - started:.0f} s")
    if connection.vendor == "postgresql":
        # What autovacuum does within minutes of a bulk load (visibility map for index-only scans,
        # statistics); measuring before it would measure the load, not the application.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        say("synthetic: VACUUM ANALYZE done")


LANGS = ("vi", "en", "zh-hans", "fr")
MIX_SIZE = 4000  # paths per mix, shuffled: more than a 10 s run at these rates requests, so no path repeats


def url_mixes(seed: int = 7) -> dict[str, list[str]]:
    """What a crowd asks for, per page type: every published place page in every language (sampled to
    MIX_SIZE when there are more), the lists with each kind, interest and commune filter and their second
    pages, searches for the words of real and generated place names (with and without accents), the home
    page in every language, and the API's lists, places and searches with the same variety."""
    from xuthanh.catalog.models import Place as P
    from xuthanh.core.text import fold as fold_text

    rng = random.Random(seed)
    places = list(P.objects.filter(status=Status.PUBLISHED).order_by("pk").values_list("slug", flat=True))
    slugs = places if len(places) * len(LANGS) <= MIX_SIZE else rng.sample(places, MIX_SIZE // len(LANGS))
    tags = list(Tag.objects.order_by("slug").values_list("slug", flat=True))
    kinds = [k for k, _label in P.Kind.choices]
    communes = list(
        P.objects.filter(status=Status.PUBLISHED).order_by().values_list("commune__code", flat=True).distinct()
    )
    names = list(P.objects.filter(status=Status.PUBLISHED, translations__language_code="vi").order_by("pk")
                 .values_list("translations__name", flat=True)[:400])
    words = sorted({w for name in names for w in name.split() if len(w) > 2})
    queries = [" ".join(rng.sample(words, 2)) for _ in range(300)] + [fold_text(n) for n in names[:100]]
    filters = (
        [f"kind={k}" for k in kinds]
        + [f"tag={t}" for t in tags]
        + [f"kind=attraction&tag={t}" for t in tags]
        + [f"commune={c}" for c in communes]
    )

    def q(text: str) -> str:
        from urllib.parse import quote_plus

        return quote_plus(text)

    mixes = {
        "home_mix": [f"/{lang}/" for lang in LANGS],
        "place_mix": [f"/{lang}/places/{slug}/" for slug in slugs for lang in LANGS],
        "list_mix": [f"/{lang}/places/?{f}{page}" for f in filters for lang in LANGS for page in ("", "&page=2")],
        "search_mix": [f"/{rng.choice(LANGS)}/places/?q={q(text)}" for text in queries],
        "api_mix": (
            [f"/api/v1/places?{f}&lang={lang}&page_size=20" for f in filters for lang in LANGS]
            + [f"/api/v1/places/{slug}?lang={rng.choice(LANGS)}" for slug in slugs[:1000]]
            + [f"/api/v1/search?q={q(text)}&lang={rng.choice(LANGS)}" for text in queries]
        ),
    }
    for paths in mixes.values():
        rng.shuffle(paths)
    return {name: paths[:MIX_SIZE] for name, paths in mixes.items()}


def write_url_mixes(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, paths in url_mixes().items():
        (folder / f"{name}.txt").write_text("\n".join(paths) + "\n", encoding="utf-8")
        say(f"urls: {name} {len(paths)} paths")


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command == "client":
        print(api_client())
    elif command == "count":
        print(Place.objects.filter(status=Status.PUBLISHED).count())
    elif command == "synthetic" and len(sys.argv) == 3:
        synthetic(int(sys.argv[2]))
    elif command == "urls" and len(sys.argv) == 3:
        write_url_mixes(Path(sys.argv[2]))
    else:
        sys.exit(__doc__)
