"""The chart of the groups affected: a bar chart (PNG) drawn with Pillow of the number of findings touching each
group by colour, its caption and its text alternative in the record's language (the page draws the same counts).

Drawn with Pillow (bars, lines and a few dozen labels) rather than matplotlib, whose text layout took 100-150 ms
a chart.
"""

from __future__ import annotations

import functools
import importlib.util
import io
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from proofing.assessment import Assessment
from proofing.language import Translator, translator
from proofing.record import clean_text
from proofing.results import group_counts, group_counts_words
from proofing.vocabulary import RAG_WORDS

CHART_MAX_GROUPS = 20
"""The chart shows at most this many groups (the profile's first), so that it fits on a page."""
CHART_SCALE = 2  # pixels per point: the chart is drawn in points, 16 cm wide, at 144 dpi (as before, 140)
_CHART_WIDTH = 453.5  # points: 16 cm, the width it is shown at
_CHART_ROW = 17.0  # points per group
_CHART_BAR = 5.5  # points: half the height of a group's bar, which leaves a gap before the next group's
_CHART_TOP, _CHART_BOTTOM = 26.0, 34.0  # points above the first group (the key) and below the last
_CHART_LABELS = 0.42  # of the width, for the group names
_BANDS = ("red", "amber", "green", "positive")
_BAND_FILL = {"red": (192, 57, 43), "amber": (240, 173, 40), "green": (46, 125, 50), "positive": (31, 58, 95)}
_CHART_INK, _CHART_GRID = (34, 34, 34), (221, 221, 221)


@functools.cache
def chart_font(points: float) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """The chart's typeface at a size in points: DejaVu Sans, which covers Welsh letters and "×".

    DejaVu Sans comes with matplotlib, a dependency, and is found without importing it; Pillow's own
    default face (used only if the file is missing) has no glyph for ŵ, ŷ or ×.
    """
    spec = importlib.util.find_spec("matplotlib")
    folders = (spec.submodule_search_locations or []) if spec is not None else []
    for folder in folders:
        face = Path(folder) / "mpl-data" / "fonts" / "ttf" / "DejaVuSans.ttf"
        if face.is_file():
            return ImageFont.truetype(str(face), round(points * CHART_SCALE))
    return ImageFont.load_default(round(points * CHART_SCALE))


def _fitted(text: str, font: ImageFont.FreeTypeFont | ImageFont.ImageFont, width: float) -> str:
    """The text, cut short with an ellipsis if it is wider than width pixels."""
    if font.getlength(text) <= width:
        return text
    while text and font.getlength(text + "…") > width:
        text = text[:-1]
    return text.rstrip() + "…"


def chart_caption(t: Translator) -> str:
    """The caption under the chart of groups in the record, naming what it counts and on what scale."""
    return t._("Figure: the number of findings touching each group, by colour (red, amber, green, and positive).")


def _ticks(top: int) -> list[int]:
    """Whole-number ticks from 0 to at least `top`, evenly spaced, at most about six of them: the scale's last
    tick is its end.

    Examples:
        >>> _ticks(7), _ticks(5), _ticks(16)
        ([0, 2, 4, 6, 8], [0, 1, 2, 3, 4, 5], [0, 3, 6, 9, 12, 15, 18])
    """
    step = max(1, -(-top // 6))
    return list(range(0, -(-top // step) * step + 1, step))


def impact_chart(assessment: Assessment, t: Translator | None = None) -> tuple[bytes | None, str]:
    """A bar chart (PNG) of the number of findings touching each group, by colour, and its alt text.

    Drawn with Pillow: for each group (most red findings first, ``proofing.results.group_counts``) one bar of its
    red, amber and green negative findings and its positive ones, each part's count written in it and the total at
    the end, on a scale of 0 to the largest total (whole findings) with a key above.
    """
    t = t or translator("en")
    rows = group_counts(assessment)[:CHART_MAX_GROUPS]
    if not rows:
        return None, ""

    def px(points: float) -> int:
        return round(points * CHART_SCALE)

    height = _CHART_TOP + _CHART_ROW * len(rows) + _CHART_BOTTOM
    image = Image.new("RGB", (px(_CHART_WIDTH), px(height)), "white")
    draw = ImageDraw.Draw(image)
    label_font, small_font = chart_font(7.5), chart_font(7.0)
    left, right = _CHART_WIDTH * _CHART_LABELS, _CHART_WIDTH - 14.0
    top, bottom = _CHART_TOP, _CHART_TOP + _CHART_ROW * len(rows)
    ticks = _ticks(max(row.total for row in rows))
    most = ticks[-1]

    def x(count: float) -> float:
        return left + (right - left) * count / most

    for tick in ticks:
        draw.line([(px(x(tick)), px(top)), (px(x(tick)), px(bottom))], fill=_CHART_GRID, width=px(0.6))
        draw.text((px(x(tick)), px(bottom + 3)), str(tick), font=small_font, fill=_CHART_INK, anchor="mt")
    draw.text(
        (px((left + right) / 2), px(bottom + 15)),
        t._("Number of findings"),
        font=label_font,
        fill=_CHART_INK,
        anchor="mt",
    )
    key_x = left
    named = {band: t._(words) for band, words in RAG_WORDS.items()} | {"positive": t._("Positive")}
    for band in (band for band in _BANDS if any(getattr(row, band) for row in rows)):
        words = named[band]
        draw.rectangle([px(key_x), px(8), px(key_x + 8), px(16)], fill=_BAND_FILL[band])
        draw.text((px(key_x + 11), px(12)), words, font=small_font, fill=_CHART_INK, anchor="lm")
        key_x += 11 + small_font.getlength(words) / CHART_SCALE + 14
    for place, row in enumerate(rows):
        middle = top + _CHART_ROW * (place + 0.5)
        name = _fitted(clean_text(row.name), label_font, px(left - 8))
        draw.text((px(left - 5), px(middle)), name, font=label_font, fill=_CHART_INK, anchor="rm")
        done = 0
        for band in _BANDS:
            count = getattr(row, band)
            if not count:
                continue
            box = [px(x(done)), px(middle - _CHART_BAR), px(x(done + count)), px(middle + _CHART_BAR)]
            draw.rectangle(box, fill=_BAND_FILL[band], outline="white", width=px(0.5))
            ink = _CHART_INK if band == "amber" else (255, 255, 255)
            draw.text((px(x(done + count / 2)), px(middle)), str(count), font=small_font, fill=ink, anchor="mm")
            done += count
        draw.text((px(x(done) + 2.5), px(middle)), str(done), font=small_font, fill=_CHART_INK, anchor="lm")
    draw.line([(px(left), px(top)), (px(left), px(bottom))], fill=_CHART_INK, width=px(0.8))
    draw.line([(px(left), px(bottom)), (px(right), px(bottom))], fill=_CHART_INK, width=px(0.8))
    # A palette of 64 colours holds the chart's few colours and their anti-aliased edges, looks the same,
    # and halves the cost of PNG encoding (12 ms instead of 24 ms) and the size of the file.
    palette = image.quantize(colors=64, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
    buffer = io.BytesIO()
    palette.save(buffer, format="PNG", dpi=(72 * CHART_SCALE, 72 * CHART_SCALE))
    alt = t._("Bar chart. {words}", words=group_counts_words(rows, t))
    return buffer.getvalue(), alt
