"""axe-core (WCAG 2.0/2.1 A and AA rules) in a real browser on the portal's main pages, in every required
language: no serious or critical violation. A failure lists the rule, the elements and the rule's help page."""

import pytest

from tests.e2e.browser import wait_for

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = {"serious", "critical"}
PAGES = [
    "",  # home
    "places/",
    "places/?q=thanh+nha+ho&kind=attraction",
    "places/thanh-nha-ho/",
    "map/",
    "events/",
    "events/le-hoi-lam-kinh/",
    "specialties/",
    "specialties/nem-chua-thanh-hoa/",
    "about/",
    "trips/plan/",
    "audio-tours/",
    "trips/",
]


def settle_map(page) -> None:
    """Wait until tiles and scripts are loaded and no zoom or cluster animation is running, so that axe
    reads the colours the visitor ends up seeing, not a half-faded icon."""
    page.wait_for_load_state("networkidle")
    wait_for(
        page,
        "() => !document.querySelector('.leaflet-zoom-anim, .leaflet-cluster-anim')"
        " && document.getAnimations().every(a => a.playState !== 'running')",
    )


def with_axe(page, axe_source: str) -> None:
    """axe-core in every document the page loads, injected by the browser before the page's own scripts: an
    inline <script> would be refused by the pages' Content-Security-Policy (core.csp), as it should be."""
    page.add_init_script(script=axe_source)


def serious_violations(page) -> list[dict]:
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        WCAG_TAGS,
    )
    return [v for v in result["violations"] if v["impact"] in BLOCKING]


def describe(path: str, violation: dict) -> str:
    targets = ", ".join(" ".join(map(str, node["target"])) for node in violation["nodes"][:8])
    more = len(violation["nodes"]) - 8
    return (
        f"{path}: [{violation['impact']}] {violation['id']}: {violation['help']}\n"
        f"    elements: {targets}{f' (and {more} more)' if more > 0 else ''}\n"
        f"    see {violation['helpUrl']}"
    )


@pytest.mark.parametrize("lang", ["vi", "en", "zh-hans", "fr"])
def test_main_pages_have_no_serious_accessibility_violations(page, axe_source, lang):
    with_axe(page, axe_source)
    problems = []
    for path in PAGES:
        url = f"/{lang}/{path}"
        response = page.goto(url)
        assert response.ok, (url, response.status)
        if page.locator(".map:not(#hotel-map)").count() and page.evaluate("typeof window.L !== 'undefined'"):
            page.locator(".map .leaflet-marker-icon").first.wait_for()  # check the map as a visitor gets it
            settle_map(page)
        assert page.locator("html").get_attribute("lang") == lang
        problems += [describe(url, v) for v in serious_violations(page)]
    assert not problems, "\n".join(["Serious or critical accessibility violations:", *problems])
