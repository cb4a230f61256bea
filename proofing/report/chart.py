"""The chart of the groups affected: a bar chart (PNG) drawn with Pillow, and its text alternative in the record's
language.

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

CHART_MAX_GROUPS = 20
"""The chart shows at most this many groups (the profile's first), so that it fits on a page."""
CHART_SCALE = 2  # pixels per point: the chart is drawn in points, 16 cm wide, at 144 dpi (as before, 140)
_CHART_WIDTH = 453.5  # points: 16 cm, the width it is shown at
_CHART_ROW = 17.0  # points per group
_CHART_BAR = 6.6  # points: the height of one bar; a group's two bars leave a gap before the next group's
_CHART_TOP, _CHART_BOTTOM = 26.0, 34.0  # points above the first group (the key) and below the last
_CHART_LABELS = 0.42  # of the width, for the group names
_CHART_NEGATIVE, _CHART_POSITIVE = (192, 57, 43), (46, 125, 50)
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


def impact_chart(assessment: Assessment, t: Translator | None = None) -> tuple[bytes | None, str]:
    """A bar chart (PNG) of the highest negative and positive score per group, and its alt text.

    Drawn with Pillow: for each group a red bar (highest negative score) over a green one (highest
    positive score), the score written at the end of each bar, on a scale of 0-25 with a key above.
    """
    t = t or translator("en")
    entries = [e for e in assessment.profile if e.negative or e.positive][:CHART_MAX_GROUPS]
    if not entries:
        return None, ""
    positive_scores: dict[str, int] = {}
    for finding in assessment.findings:
        if finding.direction == "positive":
            for group in finding.characteristics + finding.communities:
                positive_scores[group] = max(positive_scores.get(group, 0), finding.score)

    def px(points: float) -> int:
        return round(points * CHART_SCALE)

    height = _CHART_TOP + _CHART_ROW * len(entries) + _CHART_BOTTOM
    image = Image.new("RGB", (px(_CHART_WIDTH), px(height)), "white")
    draw = ImageDraw.Draw(image)
    label_font, small_font = chart_font(7.5), chart_font(7.0)
    left, right = _CHART_WIDTH * _CHART_LABELS, _CHART_WIDTH - 14.0
    top, bottom = _CHART_TOP, _CHART_TOP + _CHART_ROW * len(entries)

    def x(score: float) -> float:
        return left + (right - left) * score / 25

    for tick in range(0, 26, 5):
        draw.line([(px(x(tick)), px(top)), (px(x(tick)), px(bottom))], fill=_CHART_GRID, width=px(0.6))
        draw.text((px(x(tick)), px(bottom + 3)), str(tick), font=small_font, fill=_CHART_INK, anchor="mt")
    draw.text(
        (px((left + right) / 2), px(bottom + 15)),
        t._("Score (likelihood × severity, out of 25)"),
        font=label_font,
        fill=_CHART_INK,
        anchor="mt",
    )
    key_x = left
    keys = ((_CHART_NEGATIVE, t._("Highest negative score")), (_CHART_POSITIVE, t._("Highest positive score")))
    for colour, words in keys:
        draw.rectangle([px(key_x), px(8), px(key_x + 8), px(16)], fill=colour)
        draw.text((px(key_x + 11), px(12)), words, font=small_font, fill=_CHART_INK, anchor="lm")
        key_x += 11 + small_font.getlength(words) / CHART_SCALE + 14
    for row, entry in enumerate(entries):
        middle = top + _CHART_ROW * (row + 0.5)
        name = _fitted(clean_text(entry.name), label_font, px(left - 8))
        draw.text((px(left - 5), px(middle)), name, font=label_font, fill=_CHART_INK, anchor="rm")
        for score, colour, offset in (
            (entry.highest_negative_score, _CHART_NEGATIVE, -_CHART_BAR / 2 - 0.3),
            (positive_scores.get(entry.id, 0), _CHART_POSITIVE, _CHART_BAR / 2 + 0.3),
        ):
            if score:
                centre = middle + offset
                draw.rectangle(
                    [px(left), px(centre - _CHART_BAR / 2), px(x(score)), px(centre + _CHART_BAR / 2)], fill=colour
                )
                draw.text((px(x(score) + 2.5), px(centre)), str(score), font=small_font, fill=_CHART_INK, anchor="lm")
    draw.line([(px(left), px(top)), (px(left), px(bottom))], fill=_CHART_INK, width=px(0.8))
    draw.line([(px(left), px(bottom)), (px(right), px(bottom))], fill=_CHART_INK, width=px(0.8))
    # A palette of 64 colours holds the chart's few colours and their anti-aliased edges, looks the same,
    # and halves the cost of PNG encoding (12 ms instead of 24 ms) and the size of the file.
    palette = image.quantize(colors=64, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
    buffer = io.BytesIO()
    palette.save(buffer, format="PNG", dpi=(72 * CHART_SCALE, 72 * CHART_SCALE))
    worst = sorted(entries, key=lambda e: -e.highest_negative_score)[:3]
    described = "; ".join(f"{e.name} {e.highest_negative_score}" for e in worst if e.highest_negative_score)
    alt = t._(
        "Bar chart of the highest negative and positive impact score, out of 25, for each of {count} groups "
        "affected. Highest negative scores: {described}.",
        count=len(entries),
        described=described or t._("none"),
    )
    return buffer.getvalue(), alt
