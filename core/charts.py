"""Charts drawn on the server from our own figures, with matplotlib (an installed package: the
users' networks are closed, and no script runs to draw them): SVG inline in the pages, PNG in
the Word reports. A chart is data first: the page shows its numbers as a table beside it (the
same `Chart`, so the two cannot disagree), for screen readers and for paper.

Readable without colour: each series has its own hatching (bars) or marker and line style
(lines) besides its colour, and every bar or point carries its value as a direct label. A value
whose status is not "reported" (a caller passes a short note such as "minh họa") is starred,
and the note is spelled out under the chart and in the table.

Drawing takes tens of milliseconds; a chart's drawing is kept in the cache under a hash of its
content, so the same figures are drawn once, and changed figures are simply another key."""

import hashlib
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal

import matplotlib
from django.core.cache import cache
from django.utils import formats
from django.utils.safestring import mark_safe
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

# Text stays text in the SVG (the browser's fonts, searchable, selectable); ids are stable
# for the same content, so a kept drawing is the same bytes.
matplotlib.rcParams["svg.fonttype"] = "none"
matplotlib.rcParams["svg.hashsalt"] = "charts"
matplotlib.rcParams["font.family"] = "DejaVu Sans"  # has every Vietnamese letter
# Names are text, never TeX: "Tỉnh $$ 66" would otherwise be parsed as mathematics (and fail)
matplotlib.rcParams["text.parse_math"] = False

COLOURS = ["#1f4e79", "#c55a11", "#548235", "#7f6000", "#7030a0", "#2e75b6", "#a50021"]
HATCHES = ["", "///", "...", "xx", "\\\\", "oo", "--"]
MARKERS = ["o", "s", "^", "D", "v", "P", "X"]
LINES = ["-", "--", ":", "-.", "-", "--", ":"]
STAR = "*"
# Part of the cache key: a change to how charts are drawn draws them again.
DRAWING = 3


@dataclass(frozen=True)
class Series:
    label: str
    values: tuple
    # per value: "" when the figure is reported, else a short note ("minh họa")
    notes: tuple = ()

    def __post_init__(self):
        object.__setattr__(self, "values", tuple(self.values))
        notes = tuple(self.notes) or ("",) * len(self.values)
        object.__setattr__(self, "notes", notes)

    def note(self, index) -> str:
        return self.notes[index] if index < len(self.notes) else ""


@dataclass(frozen=True)
class Chart:
    """`kind`: "bar" (horizontal bars, one group per category: units side by side) or "line"
    (categories are years, left to right). `unit`: what the values count ("vụ", "%")."""

    title: str
    categories: tuple
    series: tuple
    kind: str = "bar"
    unit: str = ""
    category_label: str = ""  # the table's first column: "Đơn vị", "Năm"
    slug: str = field(default="", compare=False)  # the page's id for the figure

    def __post_init__(self):
        object.__setattr__(self, "categories", tuple(str(c) for c in self.categories))
        object.__setattr__(self, "series", tuple(self.series))

    @property
    def has_data(self) -> bool:
        return any(v is not None for s in self.series for v in s.values)

    @property
    def rows(self):
        """The chart's numbers as a table: (category, [(value text, note) per series])."""
        return [
            (
                category,
                [
                    (label(s.values[i]), s.note(i) if s.values[i] is not None else "")
                    for s in self.series
                ],
            )
            for i, category in enumerate(self.categories)
        ]

    @property
    def notes(self) -> list[str]:
        """The distinct notes of the starred values, in order."""
        seen = []
        for s in self.series:
            for note in s.notes:
                if note and note not in seen:
                    seen.append(note)
        return seen

    @property
    def key(self) -> str:
        text = repr((self.title, self.categories, self.kind, self.unit, self.series))
        return hashlib.sha256(text.encode()).hexdigest()[:24]


def label(value) -> str:
    """4213 -> "4.213", Decimal("92.5") -> "92,5", None -> "—" (Vietnamese formats)."""
    if value is None:
        return "—"
    if isinstance(value, Decimal | float):
        return formats.number_format(value, decimal_pos=1, use_l10n=True, force_grouping=True)
    return formats.number_format(value, use_l10n=True, force_grouping=True)


def _figure(chart: Chart, width_in: float) -> Figure:
    n = len(chart.categories)
    # Margins set by hand from the labels' lengths (inches): matplotlib's own layout engines
    # measure every text twice and cost as much as the drawing itself.
    legend = len(chart.series) > 1
    top = 0.36 + (0.28 if legend else 0)
    bottom = 0.36 + (0.22 if chart.notes else 0)
    if chart.kind == "bar":
        longest = max((len(c) for c in chart.categories), default=4)
        left = 0.15 + min(longest, 40) * 0.07
        height = top + bottom + n * (0.14 + 0.22 * len(chart.series)) + 0.1
    else:
        left, height = 0.55, 3.0
    right = 0.25
    figure = Figure(figsize=(width_in, height))
    figure.subplots_adjust(
        left=left / width_in,
        right=1 - right / width_in,
        top=1 - top / height,
        bottom=bottom / height,
    )
    axes = figure.subplots()
    (_bars if chart.kind == "bar" else _lines)(axes, chart)
    title = chart.title + (f" ({chart.unit})" if chart.unit else "")
    figure.text(0.01, 1 - 0.06 / height, title, fontsize=11, fontweight="bold", va="top")
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    axes.tick_params(labelsize=9)
    if legend:
        axes.legend(
            fontsize=9,
            frameon=False,
            loc="lower left",
            bbox_to_anchor=(0, 1.0),
            ncols=len(chart.series),
            borderaxespad=0.2,
        )
    if chart.notes:
        figure.text(
            0.01,
            0.04 / height,
            f"{STAR} " + "; ".join(chart.notes),
            fontsize=8,
            style="italic",
            va="bottom",
        )
    return figure


def _texts(series: Series) -> list[str]:
    return [
        "" if v is None else label(v) + (STAR if series.note(i) else "")
        for i, v in enumerate(series.values)
    ]


def _counts(chart: Chart) -> bool:
    """Whether every value is a whole count (its axis then has whole ticks)."""
    return all(isinstance(v, int) for s in chart.series for v in s.values if v is not None)


def _number(value):
    return 0 if value is None else float(value)


def _bars(axes, chart: Chart):
    n, k = len(chart.categories), len(chart.series)
    height = 0.8 / max(k, 1)
    # the first category on top, as in the table beside
    positions = [n - 1 - i for i in range(n)]
    top = max((_number(v) for s in chart.series for v in s.values), default=0)
    for j, series in enumerate(chart.series):
        offset = (k - 1) / 2 * height - j * height
        bars = axes.barh(
            [p + offset for p in positions],
            [_number(v) for v in series.values],
            height=height * 0.92,
            color=COLOURS[j % len(COLOURS)],
            hatch=HATCHES[j % len(HATCHES)],
            edgecolor="white" if j == 0 else "#ffffff",
            linewidth=0,
            label=series.label,
        )
        axes.bar_label(bars, labels=_texts(series), padding=2, fontsize=8)
    axes.set_yticks(positions, chart.categories)
    axes.set_xlim(0, top * 1.18 if top else 1)
    if _counts(chart):
        axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.xaxis.set_major_formatter(lambda x, _pos: label(int(x)) if x == int(x) else label(x))
    axes.grid(axis="x", color="#dddddd", linewidth=0.5)
    axes.set_axisbelow(True)


def _lines(axes, chart: Chart):
    xs = list(range(len(chart.categories)))
    for j, series in enumerate(chart.series):
        points = [(x, float(v)) for x, v in zip(xs, series.values, strict=True) if v is not None]
        if not points:
            continue
        # an unknown year breaks the line: nothing is drawn where nothing is known
        axes.plot(
            xs,
            [float("nan") if v is None else float(v) for v in series.values],
            marker=MARKERS[j % len(MARKERS)],
            linestyle=LINES[j % len(LINES)],
            color=COLOURS[j % len(COLOURS)],
            label=series.label,
            linewidth=1.4,
            markersize=5,
        )
        texts = _texts(series)
        for x, y in points:
            axes.annotate(
                texts[x],
                (x, y),
                textcoords="offset points",
                xytext=(0, 5),
                ha="center",
                fontsize=8,
            )
    axes.set_xticks(xs, chart.categories)
    axes.margins(x=0.08, y=0.2)
    if _counts(chart):
        axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.yaxis.set_major_formatter(lambda y, _pos: label(int(y)) if y == int(y) else label(y))
    axes.grid(axis="y", color="#dddddd", linewidth=0.5)
    axes.set_axisbelow(True)


_IDS = re.compile(r'(id="|url\(#|xlink:href="#|href="#)([^")]+)')
_STYLE = re.compile(r'style="([^"]*)"')


def _presentational(match) -> str:
    """style="fill: #1f4e79; stroke-width: 0.8" -> fill="#1f4e79" stroke-width="0.8": the
    site's Content-Security-Policy refuses inline styles, and every property matplotlib writes
    is also an SVG presentation attribute."""
    attributes = []
    for declaration in match.group(1).split(";"):
        name, _colon, value = declaration.partition(":")
        if name.strip() and value.strip():
            attributes.append(f'{name.strip()}="{value.strip()}"')
    return " ".join(attributes)


def _inline(svg: str, prefix: str, title: str) -> str:
    """The SVG file made an element of the page: no XML prologue, ids of its own (several
    charts share a page), scaled to its container, named for assistive technology."""
    svg = svg[svg.index("<svg") :]
    svg = _IDS.sub(lambda m: f"{m.group(1)}{prefix}{m.group(2)}", svg)
    # no <style> element, no style attribute: both refused by the Content-Security-Policy
    svg = re.sub(r"<style[^>]*>.*?</style>|<metadata>.*?</metadata>", "", svg, flags=re.S)
    svg = _STYLE.sub(_presentational, svg)
    svg = re.sub(r'<svg([^>]*?) width="[^"]*" height="[^"]*"', r"<svg\1", svg, count=1)
    escaped = title.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")
    return svg.replace(
        "<svg",
        f'<svg role="img" aria-label="{escaped}" class="chart-svg" '
        'stroke-linejoin="round" stroke-linecap="butt"',
        1,
    ).strip()


def svg(chart: Chart, *, width_in: float = 6.4) -> str:
    """The chart as an inline <svg> element (kept in the cache by its content)."""
    key = f"chart:svg:{DRAWING}:{chart.key}:{width_in}"
    drawn = cache.get(key)
    if drawn is None:
        buffer = io.StringIO()
        FigureCanvasSVG(_figure(chart, width_in)).print_svg(buffer, metadata={"Date": None})
        drawn = _inline(buffer.getvalue(), f"c{chart.key[:8]}-", chart.title)
        cache.set(key, drawn, 24 * 3600)
    return mark_safe(drawn)  # noqa: S308 - drawn by matplotlib from our own escaped figures


def png(chart: Chart, *, width_mm: float = 160, dpi: int = 150) -> bytes:
    """The chart as a PNG image, for a Word document."""
    buffer = io.BytesIO()
    figure = _figure(chart, width_mm / 25.4)
    figure.set_dpi(dpi)
    FigureCanvasAgg(figure).print_png(buffer)
    return buffer.getvalue()
