"""The static pictures beside the proofs: they draw what the mathematics says."""

from __future__ import annotations

import base64
import math

import numpy as np
import pytest

from nblib.explore import pictures

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def lines_of(picture):
    (ax,) = picture.figure.axes
    return ax.get_lines()


def test_sigmoid_slope_peaks_at_a_quarter_at_zero():
    sigma, slope, _quarter, peak = lines_of(pictures.sigmoid_and_slope())
    z, s = sigma.get_data()
    assert np.allclose(s, [1 / (1 + math.exp(-t)) for t in z], rtol=1e-15)
    z, ds = slope.get_data()
    assert z[np.argmax(ds)] == 0.0 and ds.max() == 0.25
    assert tuple(peak.get_data()[0]) == (0,) and tuple(peak.get_data()[1]) == (0.25,)


def test_each_cross_entropy_curve_has_its_dot_at_a_equals_y_and_height_h():
    targets = (0.125, 0.5, 0.875)
    lines = lines_of(pictures.cross_entropy_for_targets(targets))
    curves, dots = lines[0::2], lines[1::2]
    for y, curve, dot in zip(targets, curves, dots, strict=True):
        (a,), (height,) = dot.get_data()
        entropy = -(y * math.log(y) + (1 - y) * math.log(1 - y))
        assert a == y and height == pytest.approx(entropy, rel=1e-14)
        assert curve.get_data()[1].min() >= entropy - 1e-12  # no point below its dot


def test_jacobian_signs_show_plus_on_the_diagonal_only():
    picture = pictures.jacobian_signs((2.5, -1.0, 3.2, 0.5))
    (ax,) = picture.figure.axes
    texts = [t.get_text() for t in ax.texts]
    assert len(texts) == 16
    for index, text in enumerate(texts):
        j, k = divmod(index, 4)
        assert text[0] == ("+" if j == k else "−")
    z = np.array([2.5, -1.0, 3.2, 0.5])
    a = np.exp(z) / np.exp(z).sum()
    assert texts[0] == f"+{a[0] * (1 - a[0]):.2g}"  # ∂a_1/∂z_1 = a_1(1 − a_1)


@pytest.mark.parametrize("make", [pictures.sigmoid_and_slope, pictures.cross_entropy_for_targets,
                                  pictures.jacobian_signs])
def test_a_picture_shows_as_png_with_a_stable_description(make):
    bundle = make()._repr_mimebundle_()
    assert base64.b64decode(bundle["image/png"]).startswith(PNG_SIGNATURE)
    assert bundle["text/plain"] == repr(make()) and "0x" not in bundle["text/plain"]
