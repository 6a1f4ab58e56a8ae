"""The PNG frames an explorer sends to the page, written fast.

A step's frame is a diff: the pixels that changed, over transparent zeros (ipympl's page
draws it over the picture it shows). Most of its rows are all zeros, and zlib, even at its
fastest level, spends most of a frame's time scanning them. So the rows are deflated in runs:
a run of changed rows by zlib, a run of blank rows by a stored stream of that many zero
bytes, deflated once per length and reused. Each run is a separate deflate stream with no
history, flushed to a byte boundary, and deflate allows such blocks to follow one another;
the zlib checksum (Adler-32) of a run of zeros is updated by formula. The PNG is 8-bit RGBA
with no row filter.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Callable
from functools import lru_cache

import numpy as np

#: Adler-32's modulus.
ADLER_BASE = 65521
#: zlib's header for a 32 KiB window and the fastest level (a multiple of 31, as required).
ZLIB_HEADER = b"\x78\x01"
#: A final, empty deflate block (fixed Huffman codes, end of block at once).
FINAL_BLOCK = b"\x03\x00"


def png_rgba(pixels: np.ndarray, where: np.ndarray | None = None) -> bytes:
    """An (h, w, 4) uint8 array as PNG bytes: 8-bit RGBA, no row filter.

    With ``where`` (an (h, w) mask), only those pixels are written; the others are
    transparent zeros (a diff frame).
    """
    height, width = pixels.shape[:2]
    words = np.ascontiguousarray(pixels).view(np.uint32)[:, :, 0]  # one word per pixel
    blank = np.zeros(height, bool) if where is None else ~where.any(axis=1)

    def rows(start: int, stop: int) -> np.ndarray:
        """Rows start..stop − 1 as PNG scanlines: filter byte 0, then the kept pixels."""
        kept = words[start:stop]
        if where is not None:
            kept = np.where(where[start:stop], kept, np.uint32(0))
        lines = np.empty((stop - start, width * 4 + 1), np.uint8)
        lines[:, 0] = 0  # filter type 0 (None)
        lines[:, 1:] = kept.view(np.uint8).reshape(stop - start, -1)
        return lines

    def chunk(kind: bytes, data: bytes) -> bytes:
        """One PNG chunk: length, type, data, CRC."""
        return struct.pack(">I", len(data)) + kind + data + struct.pack(
            ">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", deflate_rows(rows, blank, width * 4 + 1))
            + chunk(b"IEND", b""))


def deflate_rows(rows: Callable[[int, int], np.ndarray], blank: np.ndarray,
                 row_bytes: int) -> bytes:
    """A zlib stream of ``len(blank)`` rows of ``row_bytes`` bytes each: ``blank`` marks the
    rows of zeros, and ``rows(start, stop)`` gives the others, a run at a time."""
    parts = [ZLIB_HEADER]
    low, high = 1, 0  # Adler-32's two sums
    edges = np.flatnonzero(blank[1:] != blank[:-1]) + 1
    for start, stop in zip([0, *edges.tolist()], [*edges.tolist(), len(blank)], strict=True):
        if blank[start]:
            count = (stop - start) * row_bytes
            parts.append(_zeros(count))
            high = (high + count * low) % ADLER_BASE  # count zeros: the first sum stays
        else:
            run = rows(start, stop)
            compressor = zlib.compressobj(1, zlib.DEFLATED, -15)
            parts += [compressor.compress(run), compressor.flush(zlib.Z_SYNC_FLUSH)]
            checksum = zlib.adler32(run, (high << 16) | low)
            low, high = checksum & 0xFFFF, checksum >> 16
    parts += [FINAL_BLOCK, struct.pack(">I", (high << 16) | low)]
    return b"".join(parts)


@lru_cache(maxsize=1024)
def _zeros(count: int) -> bytes:
    """``count`` zero bytes as deflate blocks with no history, ending on a byte boundary."""
    compressor = zlib.compressobj(1, zlib.DEFLATED, -15)
    return compressor.compress(bytes(count)) + compressor.flush(zlib.Z_SYNC_FLUSH)
