"""Which artwork stands for a place, an event or a specialty that has no photo yet (xuthanh/static/xuthanh/art/:
flat illustrations drawn for the project, CC BY-SA 4.0). A real visual on every card and page while the
catalogue waits for photos (the contests of the plan bring them)."""

from __future__ import annotations

ART_DIR = "xuthanh/art"
BY_CATEGORY = {
    "heritage": "citadel", "relic": "citadel", "monument": "citadel",
    "temple": "temple", "museum": "museum", "beach": "beach",
    "nature": "mountains", "community": "mountains", "landscape": "mountains",
    "cave": "cave", "waterfall": "waterfall", "craft_village": "craft", "entertainment": "park",
    "hotel": "lodging", "resort": "lodging", "homestay": "lodging", "guesthouse": "lodging",
    "restaurant": "food", "street_food": "food", "cafe": "food", "market": "food",
    "souvenir": "hat", "mall": "hat",
    "airport": "journey", "railway_station": "journey", "border_gate": "journey", "bus_station": "journey",
    "seaport": "journey", "travel_agency": "journey",
    "tourist_info": "lotus", "other": "lotus",
}
BY_SPECIALTY_KIND = {"dish": "food", "drink": "food", "product": "hat"}
EVENT_ART = "drum"  # the bronze drum of the Đông Sơn culture, found in Thanh Hóa
WIDTH, HEIGHT = 320, 180
CREDIT = "© Xứ Thanh project, CC BY-SA 4.0"


def art_path(motif: str) -> str:
    """The static path of a motif (for `static()`)."""
    return f"{ART_DIR}/{motif}.svg"


def place_art(category: str) -> str:
    return art_path(BY_CATEGORY.get(category, "lotus"))


def specialty_art(kind: str) -> str:
    return art_path(BY_SPECIALTY_KIND.get(kind, "food"))


def event_art() -> str:
    return art_path(EVENT_ART)
