"""Text drawn from remembered glyphs: the same pixels as matplotlib's Agg, a third of the work.

Agg draws a text glyph by glyph, and asks FreeType to rasterise every glyph again at every
draw: in an explorer's step, the readouts and value labels that change cost more than all
the lines and bars together. :class:`GlyphRenderer` keeps each glyph's bitmap the first time
it is rasterised and paints it again from memory.

A glyph's bitmap depends on the font, its size, the transform (rotation, slant) and the
fraction of a pixel (in FreeType's 1/64 units) at which it starts; moving it by whole pixels
moves its bitmap by whole pixels and changes nothing else. So the key is that fraction and
the bitmap is drawn at the whole-pixel remainder: exactly the pixels of an uncached draw
(``tests/test_explore_glyphs.py`` compares the two over many texts, angles and positions).

Shaping a string (``FT2Font._layout``) is kept per string, font and size as well, for labels
that come back to a value already shown.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from matplotlib.backends.backend_agg import RendererAgg, get_hinting_flag
from matplotlib.ft2font import FT2Font, RenderMode

#: How many glyph bitmaps and string layouts are kept (least recently used go first).
MAX_GLYPHS = 20_000
MAX_LAYOUTS = 2_000

#: The private FreeType calls of matplotlib's Agg text drawing that the cache stands in for;
#: with another matplotlib that lacks them, texts are drawn by Agg itself.
SUPPORTED = all(hasattr(FT2Font, name) for name in ("_layout", "_render_glyph", "_set_transform"))


class _Cache(dict):
    """A dict emptied when it outgrows ``limit`` entries (refilled by the next draws)."""

    def __init__(self, limit: int) -> None:
        """An empty cache for at most ``limit`` entries."""
        super().__init__()
        self.limit = limit

    def put(self, key: Any, value: Any) -> Any:
        """Store ``value`` under ``key``; return it."""
        if len(self) >= self.limit:
            self.clear()
        self[key] = value
        return value


_GLYPHS = _Cache(MAX_GLYPHS)
_LAYOUTS = _Cache(MAX_LAYOUTS)


class GlyphRenderer(RendererAgg):
    """matplotlib's Agg renderer, drawing text from remembered glyph bitmaps."""

    def draw_text(self, gc, x, y, s, prop, angle, ismath=False, mtext=None):
        """Agg's ``draw_text`` with the string's layout remembered (mathematics: Agg's)."""
        if ismath or not SUPPORTED:
            return super().draw_text(gc, x, y, s, prop, angle, ismath, mtext)
        font = self._prepare_font(prop)
        flags = get_hinting_flag()
        features = mtext.get_fontfeatures() if mtext is not None else None
        language = mtext.get_language() if mtext is not None else None
        size = prop.get_size_in_points()
        key = (font, size, self.dpi, s, flags,
               tuple(features) if features is not None else None,
               language if isinstance(language, str | None) else tuple(language))
        items = _LAYOUTS.get(key)
        if items is None:
            items = _LAYOUTS.put(key, [
                (item.ft_object, item.glyph_index, item.x, item.y)
                for item in font._layout(s, flags=flags, features=features,
                                         language=language)])
        self._draw_text_glyphs_and_boxes(
            gc, x, y, angle,
            ((ft, size, index, 0, 1, gx, gy) for ft, index, gx, gy in items), [])

    def _draw_text_glyphs_and_boxes(self, gc, x, y, angle, glyphs, boxes):
        """Agg's glyph loop, each bitmap rasterised once per sub-pixel offset and kept."""
        if not SUPPORTED:
            return super()._draw_text_glyphs_and_boxes(gc, x, y, angle, glyphs, boxes)
        cos, sin = math.cos(math.radians(angle)), math.sin(math.radians(angle))
        flags = get_hinting_flag()
        mode = RenderMode.NORMAL if gc.get_antialiased() else RenderMode.MONO
        height = self.height
        top_row = int(height)
        draw, cache, put = self._renderer.draw_text_image, _GLYPHS, _GLYPHS.put
        # Per (slant, extend): FreeType's 16.16 matrix, and what a glyph's key holds besides
        # the font, size, glyph and offset (plain ints: hashing enums costs more than a draw).
        styles: dict[tuple[float, float], tuple[np.ndarray, tuple]] = {}
        for font, size, index, slant, extend, dx, dy in glyphs:  # dy is upwards
            style = styles.get((slant, extend))
            if style is None:
                matrix = (0x10000 * np.array([[cos, -sin], [sin, cos]])
                          @ [[extend, extend * slant], [0, 1]]).round().astype(int)
                style = styles[slant, extend] = (
                    matrix, (*matrix.ravel().tolist(), self.dpi, flags.value, mode.value))
            matrix, settings = style
            # FreeType's 26.6 fixed point, y upwards, rounded as Agg rounds it: the glyph's
            # origin in whole pixels and the 1/64 remainder.
            whole_x, part_x = divmod(round(0x40 * (x + dx * cos - dy * sin)), 0x40)
            whole_y, part_y = divmod(round(0x40 * (height - y + dx * sin + dy * cos)), 0x40)
            key = (font, size, index, part_x, part_y, settings)
            glyph = cache.get(key)
            if glyph is None:
                font.set_size(size, self.dpi)
                font._set_transform(matrix, [part_x, part_y])
                bitmap = font._render_glyph(index, flags, mode)
                buffer = np.array(bitmap.buffer, copy=True)
                if mode is RenderMode.MONO:
                    buffer *= 0xff
                # The bitmap's bottom row, counted downwards from a canvas's top row 0.
                glyph = put(key, (buffer, bitmap.left, buffer.shape[0] - bitmap.top))
            buffer, left, below_top = glyph
            # draw_text_image's y is downwards and names the bitmap's bottom row.
            draw(buffer, left + whole_x, top_row + below_top - whole_y, 0, gc)
        if boxes:  # mathematics' rules (fraction bars, roots): Agg draws them as paths
            super()._draw_text_glyphs_and_boxes(gc, x, y, angle, (), boxes)
