"""Shapes of the open statistics API (/api/v1/statistics/…)."""

from __future__ import annotations

from xuthanh.api.schemas import Out


class OfficialFigureOut(Out):
    year: int
    indicator: str
    label: str
    value: float
    status: str
    publisher: str
    source: str
    evidence: str
    note: str


class IndicatorOut(Out):
    code: str
    label: str


class CellOut(Out):
    key: str
    label: str
    value: float | None
    previous: float | None
    change_pct: float | None
    suppressed: bool


class FiguresOut(Out):
    indicator: str
    by: str
    period: str
    months: list[str]
    min_contributors: int
    cells: list[CellOut]
    total: CellOut | None
    note: str
