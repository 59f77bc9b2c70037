"""Travel-time providers: the estimate, and OSRM against a small local stub that speaks its HTTP API."""

import json
import random
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from xuthanh.itinerary.travel import EstimateProvider, OsrmProvider, TravelError, provider_for

CITY = (19.8067, 105.7852)  # Thanh Hóa city centre
CITADEL = (20.0778, 105.6047)
SAM_SON = (19.7425, 105.9042)


def test_estimate_is_distance_times_circuity_over_speed():
    provider = EstimateProvider(circuity=1.3)
    seconds = provider.matrix([CITY, CITADEL], "car")[0][1]
    km = 35.1  # great-circle distance city → citadel
    assert seconds == pytest.approx(km * 1.3 / 40 * 3600, rel=0.03)
    assert provider.matrix([CITY, CITADEL], "walking")[0][1] > 8 * seconds


def test_estimate_matrix_is_symmetric_zero_diagonal_and_cached():
    provider = EstimateProvider()
    first = provider.matrix([CITY, CITADEL, SAM_SON])
    assert [first[i][i] for i in range(3)] == [0, 0, 0]
    assert first[0][2] == first[2][0]
    assert provider.matrix([CITY, CITADEL, SAM_SON]) is first


def test_the_whole_matrix_equals_the_pair_by_pair_estimate():
    """The matrix is computed for all pairs at once (numpy); each entry is what `seconds` says for its pair,
    over 300 points of the province in every mode, a repeated point included."""
    rng = random.Random(5)
    points = [(rng.uniform(19.3, 20.6), rng.uniform(104.4, 106.1)) for _ in range(299)] + [CITY]
    points[7] = CITY  # the same point twice: 0 s between them
    provider = EstimateProvider()
    for mode in ("car", "walking"):
        matrix = provider.matrix(points, mode)
        assert matrix == [[provider.seconds(a, b, mode) for b in points] for a in points]
        assert matrix[7][299] == 0 and all(type(v) is int for v in matrix[3])


def test_bad_input_is_explained():
    with pytest.raises(TravelError, match="travel mode"):
        EstimateProvider().matrix([CITY], "plane")
    with pytest.raises(TravelError, match="WGS84"):
        EstimateProvider().matrix([(95.0, 105.0)])
    with pytest.raises(TravelError, match="http"):
        OsrmProvider("ftp://example")


class StubOsrm(BaseHTTPRequestHandler):
    """Answers /table/v1/{profile}/{coords}?annotations=duration like OSRM (durations = 100 × index gap)."""

    requests: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 - http.server API
        StubOsrm.requests.append(self.path)
        path = self.path.split("?")[0]
        parts = path.split("/")
        if len(parts) < 5 or parts[1] != "table":
            self._send(400, {"code": "InvalidUrl", "message": "bad path"})
            return
        coords = parts[4].split(";")
        if any(c.startswith("0.000000") for c in coords):
            self._send(400, {"code": "InvalidQuery", "message": "bad coordinate"})
            return
        n = len(coords)
        durations = [[abs(i - j) * 100.4 for j in range(n)] for i in range(n)]
        if parts[3] == "foot" and n > 2:
            durations[0][2] = None
        self._send(200, {"code": "Ok", "durations": durations})

    def _send(self, status: int, payload: dict) -> None:
        body = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        return


@pytest.fixture
def osrm_url():
    server = ThreadingHTTPServer(("127.0.0.1", 0), StubOsrm)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    StubOsrm.requests = []
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_osrm_table_is_read_and_cached(osrm_url):
    provider = provider_for(osrm_url)
    matrix = provider.matrix([CITY, CITADEL, SAM_SON], "car")
    assert matrix == [[0, 100, 201], [100, 0, 100], [201, 100, 0]]
    assert StubOsrm.requests[0].startswith("/table/v1/driving/105.785200,19.806700;105.604700,20.077800;")
    provider.matrix([CITY, CITADEL, SAM_SON], "car")
    assert len(StubOsrm.requests) == 1


def test_osrm_errors_become_clear_travel_errors(osrm_url):
    provider = OsrmProvider(osrm_url)
    with pytest.raises(TravelError, match="no road between point 0 and point 2"):
        provider.matrix([CITY, CITADEL, SAM_SON], "walking")
    with pytest.raises(TravelError, match="refused|did not answer"):
        provider.matrix([CITY, (0.0, 0.0)], "car")
    with pytest.raises(TravelError, match="did not answer"):
        OsrmProvider("http://127.0.0.1:9", timeout=0.5).matrix([CITY, CITADEL])
