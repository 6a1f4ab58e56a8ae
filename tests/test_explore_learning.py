"""Problems 1 and 2 and the slowdown demo: explorers driven headless, and their helpers.

The explorers' artists are compared with numbers computed here, independently: closed
formulas for one neuron, a plain per-example loop for the learning curves, a plain scalar
loop for the one-neuron descent.
"""

from __future__ import annotations

import base64
import math
import warnings

import numpy as np
import pytest
import sympy as sp

from nblib.explore.learning import (
    COST_LIMITS,
    COST_TOPS,
    SLOWDOWN_EPOCHS,
    GradientSizeExplorer,
    LinearOutputExplorer,
    SlowdownExplorer,
)
from nblib.network import curves
from nblib.network.network import Network
from nblib.numerics import neuron
from nblib.proof.derivation import Derivation
from nblib.proofs import pb1, pb2, slowdown

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
CLASSES = (GradientSizeExplorer, LinearOutputExplorer, SlowdownExplorer)


def make(cls, **initial):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return cls(**initial)


def sig(z: float) -> float:
    """σ(z), written out here."""
    return 1 / (1 + math.exp(-z)) if z >= 0 else math.exp(z) / (1 + math.exp(z))


def sig_prime(z: float) -> float:
    """σ′(z) = e^{−|z|}/(1 + e^{−|z|})², accurate also where σ ≈ 1."""
    e = math.exp(-abs(z))
    return e / (1 + e) ** 2


# --------------------------------------------------------------------------- pb1 explorer


def test_gradient_size_default_state():
    e = make(GradientSizeExplorer)
    assert (e.value("z"), e.value("y")) == (6.0, 0.0)
    assert e.describe() == "size of ∂C/∂w for one output neuron (z = 6.0, y = 0)"


@pytest.mark.parametrize("z", [-8.0, -2.25, 0.0, 0.5, 6.0, 8.0])
@pytest.mark.parametrize("y", [0.0, 1.0])
def test_gradient_size_follows_the_formulas(z, y):
    e = make(GradientSizeExplorer)
    e.set(z=z, y=y)
    quadratic = abs(sig(z) - y) * sig_prime(z)
    cross_entropy = abs(sig(z) - y)
    assert e.points["quadratic"].get_data()[1][0] == pytest.approx(quadratic, rel=1e-12)
    assert e.points["cross_entropy"].get_data()[1][0] == pytest.approx(cross_entropy, rel=1e-12)
    assert e.bars[0].get_width() == pytest.approx(quadratic, rel=1e-12)
    assert e.bars[1].get_width() == pytest.approx(cross_entropy, rel=1e-12)
    grid = e.z_grid
    np.testing.assert_allclose(e.curves["quadratic"].get_ydata(),
                               [abs(sig(t) - y) * sig_prime(t) for t in grid], rtol=1e-12)
    np.testing.assert_allclose(e.curves["cross_entropy"].get_ydata(),
                               [abs(sig(t) - y) for t in grid], rtol=1e-12)
    assert list(e.z_line.get_xdata()) == [z, z]
    assert f"1/σ′(z) = {1 / sig_prime(z):.3g}" in e.readout.get_text()
    assert e.bar_text[0].get_text() == f"{quadratic:.2e}"


def test_gradient_size_saturated_wrong_neuron():
    """The notebook's point: at z = 6, y = 0 the quadratic gradient is ~400 times smaller."""
    e = make(GradientSizeExplorer)
    ratio = e.bars[1].get_width() / e.bars[0].get_width()
    assert ratio == pytest.approx(1 / sig_prime(6.0), rel=1e-12)
    assert ratio > 400


# --------------------------------------------------------------------------- pb2 explorer


def plain_curve(z0: float, eta: float, epochs: int, output: str):
    """The same training written out: the [1, 4, 1] network example by example, as the book's
    network.py does it, full batch; the learning curve and the trained fit as a function."""
    net = curves.initial_network(z0, output)
    w2, b2, w3, b3 = (p.copy() for p in (net.weights[0], net.biases[0], net.weights[1],
                                          net.biases[1]))

    def fit(x):
        a2 = 1 / (1 + np.exp(-(w2 @ x + b2)))
        z3 = w3 @ a2 + b3
        return z3 if output == "linear" else 1 / (1 + np.exp(-z3))

    examples = list(zip(curves.DATA_X[0], curves.DATA_Y[0], strict=True))
    cost = []
    for epoch in range(epochs + 1):
        cost.append(np.mean([0.5 * (fit(np.array([[x]]))[0, 0] - y) ** 2 for x, y in examples]))
        if epoch == epochs:
            break
        sums = [np.zeros_like(p) for p in (w2, b2, w3, b3)]
        for x, y in examples:
            a1 = np.array([[x]])
            a2 = 1 / (1 + np.exp(-(w2 @ a1 + b2)))
            a3 = fit(a1)
            d3 = a3 - y if output == "linear" else (a3 - y) * a3 * (1 - a3)
            d2 = (w3.T @ d3) * a2 * (1 - a2)
            for total, g in zip(sums, (d2 @ a1.T, d2, d3 @ a2.T, d3), strict=True):
                total += g
        for p, total in zip((w2, b2, w3, b3), sums, strict=True):
            p -= eta / len(examples) * total
    return np.array(cost), fit


def test_linear_output_default_state():
    e = make(LinearOutputExplorer)
    assert (e.value("z0"), e.value("eta"), e.value("epochs")) == (6.0, 0.5, 300)
    assert e.describe() == ("quadratic cost: linear vs sigmoid output "
                            "(z0 = 6.0, eta = 0.5, epochs = 300)")


@pytest.mark.parametrize(("z0", "eta", "epochs"), [(6.0, 0.5, 300), (-4.5, 1.0, 40),
                                                   (0.0, 0.125, 10), (8.0, 0.25, 120)])
def test_linear_output_curves_match_the_plain_loop(z0, eta, epochs):
    e = make(LinearOutputExplorer)
    e.set(z0=z0, eta=eta, epochs=epochs)
    for output in ("linear", "sigmoid"):
        cost, fit = plain_curve(z0, eta, epochs, output)
        xs, ys = e.cost_lines[output].get_data()
        np.testing.assert_array_equal(xs, np.arange(epochs + 1))
        np.testing.assert_allclose(ys, cost, rtol=1e-11)
        np.testing.assert_allclose(e.fit_lines[output].get_ydata(), fit(e.x_fine)[0],
                                   rtol=1e-11, atol=1e-14)
    # Fixed axes (so that steps blit): the curve stops at its epoch count.
    assert e.ax_cost.get_xlim() == (0.0, 300.0)
    assert e.ax_cost.get_ylim() == COST_LIMITS


def test_linear_output_cost_axis_holds_every_setting():
    low, high = COST_LIMITS
    for z0 in np.arange(-8.0, 8.5, 2.0):
        for eta in curves.ETAS:
            for run in curves.learning_curves(float(z0), float(eta), 300).values():
                assert low < run.cost.min() and run.cost.max() < high, (z0, eta)


def test_linear_output_learns_where_sigmoid_stalls():
    e = make(LinearOutputExplorer)
    linear = e.cost_lines["linear"].get_ydata()
    sigmoid = e.cost_lines["sigmoid"].get_ydata()
    assert linear[50] < 0.01 < 0.1 < sigmoid[300]
    assert "C = " in e.readout.get_text()


# --------------------------------------------------------------------------- slowdown explorer


def plain_descent(w, b, eta, epochs, rule):
    """The book's neuron, written out: x = 1, y = 0."""
    outputs = []
    for _ in range(epochs + 1):
        a = sig(w + b)
        outputs.append(a)
        step = {"quadratic": a * a * (1 - a), "cross_entropy": a, "book_page": 1 / (1 - a)}[rule]
        w, b = w - eta * step, b - eta * step
    return np.array(outputs)


def test_slowdown_default_state_is_the_book_run():
    e = make(SlowdownExplorer)
    assert e.describe() == ("learning slowdown of one neuron "
                            "(w = 0.6, b = 0.9, eta = 0.15, rule = quadratic cost, epochs = 300)")
    final = e.output_line.get_ydata()[-1]
    assert abs(final - 0.09) < 0.01
    assert f"a(300) = {final:.4f}" in e.readout.get_text()


@pytest.mark.parametrize("rule", ["quadratic", "cross_entropy", "book_page"])
@pytest.mark.parametrize(("w", "b", "eta", "epochs"),
                         [(0.6, 0.9, 0.15, 300), (2.0, 2.0, 0.005, 300), (-1.5, 3.25, 0.5, 70)])
def test_slowdown_curves_follow_the_plain_descent(rule, w, b, eta, epochs):
    e = make(SlowdownExplorer)
    e.set(w=w, b=b, eta=eta, rule=rule, epochs=epochs)
    expected = plain_descent(w, b, eta, epochs, rule)
    xs, ys = e.output_line.get_data()
    np.testing.assert_array_equal(xs, np.arange(epochs + 1))
    np.testing.assert_allclose(ys, expected, rtol=1e-10, atol=1e-300)
    cost = expected**2 / 2 if rule == "quadratic" else -np.log1p(-expected)
    np.testing.assert_allclose(e.cost_line.get_ydata(), cost, rtol=1e-9, atol=1e-300)
    # The axes hold the whole run, whatever the epochs: the slider's range, and the first
    # of a few fixed tops above the largest cost of the run.
    whole = plain_descent(w, b, eta, SLOWDOWN_EPOCHS, rule)
    whole_cost = whole**2 / 2 if rule == "quadratic" else -np.log1p(-whole)
    assert e.ax_out.get_xlim() == e.ax_cost.get_xlim() == (0.0, float(SLOWDOWN_EPOCHS))
    top = e.ax_cost.get_ylim()[1]
    assert top == min(t for t in COST_TOPS if t >= whole_cost.max() * 1.02)
    # Faint beyond the chosen epoch: the rest of the same run; a point at the epoch.
    rest, _, point = e.lines["output"]
    np.testing.assert_allclose(rest.get_ydata(), whole, rtol=1e-10, atol=1e-300)
    assert point.get_data()[0][0] == epochs and point.get_data()[1][0] == ys[-1]
    assert e.cost_title.get_text() == ("C = a²/2" if rule == "quadratic" else "C = −ln(1 − a)")


@pytest.mark.parametrize("cls", [LinearOutputExplorer, SlowdownExplorer])
def test_the_epochs_slider_slices_one_run_and_moves_no_limit(cls, monkeypatch):
    e = make(cls)
    trained = []
    for name in ("learning_curves", "neuron_descent"):
        original = getattr(curves, name)
        monkeypatch.setattr(curves, name, lambda *args, _f=original: trained.append(args)
                            or _f(*args))
    e.set(epochs=120)  # the default setting's run is stored: nothing is trained
    assert trained == []
    limits = [(ax.get_xlim(), ax.get_ylim()) for ax in e.figure.axes]
    for epochs in (10, 70, 250, e.controls["epochs"].max):
        e.set(epochs=epochs)
        assert [(ax.get_xlim(), ax.get_ylim()) for ax in e.figure.axes] == limits
    assert trained == [] and e.canvas.blit_valid()


@pytest.mark.parametrize("epochs", [1, 37, 300])
def test_the_first_epochs_of_a_long_run_are_the_short_run_bit_for_bit(epochs):
    long = curves.learning_curves(-4.5, 1.0, 300)
    short = curves.learning_curves(-4.5, 1.0, epochs)
    x = np.linspace(0.0, 1.0, 11).reshape(1, -1)
    for output in ("linear", "sigmoid"):
        np.testing.assert_array_equal(long[output].cost[:epochs + 1], short[output].cost)
        np.testing.assert_array_equal(long[output].predict(x, epochs), short[output].predict(x))
    slow = curves.neuron_descent(2.0, 2.0, 0.5, 600, "book_page")
    fast = curves.neuron_descent(2.0, 2.0, 0.5, epochs, "book_page")
    np.testing.assert_array_equal(slow.output[:epochs + 1], fast.output)
    np.testing.assert_array_equal(slow.cost[:epochs + 1], fast.cost)


def test_run_predict_refuses_an_epoch_outside_the_run():
    run = curves.learning_curves(0.0, 0.5, 20)["linear"]
    for bad in (-1, 21, 2.0, True):
        with pytest.raises(ValueError, match=r"Run\.predict: argument 'epoch'"):
            run.predict(curves.DATA_X, bad)


def test_slowdown_first_step_readout():
    e = make(SlowdownExplorer)
    e.set(w=2.0, b=2.0, eta=0.005, rule="book_page")
    step = -0.005 / (1 - sig(4.0))
    assert f"Δw = Δb = {step:+.4g}" in e.readout.get_text()


# --------------------------------------------------------------------------- all three


@pytest.mark.parametrize("cls", CLASSES)
def test_update_is_in_place(cls):
    e = make(cls)
    before = [list(ax.get_children()) for ax in e.figure.axes]
    artists = dict(vars(e))
    for name, control in e.controls.items():
        new = control.options[-1] if hasattr(control, "options") else control.min
        e.set(**{name: new[1] if isinstance(new, tuple) else new})
    assert [list(ax.get_children()) for ax in e.figure.axes] == before
    assert all(vars(e)[k] is v for k, v in artists.items())


@pytest.mark.parametrize("cls", CLASSES)
def test_mimebundle_has_widget_view_and_png(cls):
    e = make(cls)
    bundle = e._repr_mimebundle_()
    assert bundle[WIDGET_VIEW]["model_id"] == e.widget.model_id
    assert base64.b64decode(bundle["image/png"]).startswith(b"\x89PNG\r\n\x1a\n")
    assert e.canvas._data_url == "data:image/png;base64," + bundle["image/png"]
    assert bundle["text/plain"] == e.describe()
    assert e.canvas in e.widget.children


@pytest.mark.parametrize("cls", CLASSES)
def test_picture_changes_with_every_control(cls):
    e = make(cls)
    for name, control in e.controls.items():
        before = e.png()
        if hasattr(control, "options"):
            options = [o[1] if isinstance(o, tuple) else o for o in control.options]
            new = options[-1] if control.value != options[-1] else options[0]
        else:
            new = control.min if control.value != control.min else control.max
        e.set(**{name: new})
        assert e.png() != before, name


@pytest.mark.parametrize("cls", CLASSES)
def test_default_state_is_deterministic(cls):
    assert make(cls).png() == make(cls).png()


# --------------------------------------------------------------------------- pb1 helpers


def test_last_layer_shapes_and_definitions():
    layer = pb1.last_layer()
    assert layer.w.shape == (3, 2) and len(layer.x) == 2 and len(layer.a) == 3
    assert sp.sstr(layer.a[1]) == "a_2"
    assert sp.latex(layer.f_prime[0]) == r"\sigma'\left(z_{1}\right)"
    point = {**{s: 0.5 for s in layer.w}, **{s: 0.25 for s in layer.b}, layer.x[0]: 1.0,
             layer.x[1]: -2.0}
    z1 = 0.5 * 1.0 + 0.5 * (-2.0) + 0.25
    assert float(layer.a[0].doit().subs(point)) == pytest.approx(sig(z1), rel=1e-14)
    assert float(layer.f_prime[0].doit().subs(point)) == pytest.approx(sig_prime(z1), rel=1e-14)
    linear = pb1.last_layer("linear")
    assert float(linear.a[0].doit().subs(point)) == pytest.approx(z1)
    assert linear.f_prime[2].doit() == 1
    tagged = pb1.last_layer(example=2)
    assert sp.latex(tagged.a[0]) == "a^{(2)}_{1}"
    assert tagged.w == layer.w and tagged.x != layer.x


@pytest.mark.parametrize(("kwargs", "match"), [({"activation": "softmax"}, "'activation'"),
                                               ({"example": -1}, "'example'")])
def test_last_layer_bad_input(kwargs, match):
    with pytest.raises(ValueError, match=match):
        pb1.last_layer(**kwargs)


def test_costs_and_their_derivatives():
    a, y = sp.symbols("p q", real=True)
    assert pb1.cost_of([a], [y], "quadratic") == (a - y) ** 2 / 2
    assert sp.simplify(pb1.cost_of([a], [y], "cross_entropy")
                       + y * sp.log(a) + (1 - y) * sp.log(1 - a)) == 0
    with pytest.raises(ValueError, match="'cost'"):
        pb1.cost_of([a], [y], "hinge")
    layer = pb1.last_layer()
    assert sp.latex(pb1.layer_cost(layer, "quadratic")) == "C"
    assert sp.latex(pb1.dC_da(layer, "quadratic", 0)) == r"\frac{\partial C}{\partial a_{1}}"
    assert sp.latex(pb1.delta(layer, "cross_entropy", 2)) == r"\delta_{3}"
    # δ_j = a_j − y_j for the cross-entropy, at a numeric point
    point = {**{s: 0.3 for s in layer.w}, **{s: -0.2 for s in layer.b}, layer.x[0]: 0.7,
             layer.x[1]: 0.1, **{s: 0.25 for s in layer.targets}}
    value = pb1.delta(layer, "cross_entropy", 2).doit().subs(point)
    assert float(value) == pytest.approx(float((layer.a[2] - layer.y[2]).doit().subs(point)))


def test_claimed_forms_and_bad_input():
    layer = pb1.last_layer()
    assert pb1.claimed(layer, "cross_entropy", "b", 1) == layer.a[1] - layer.y[1]
    assert pb1.claimed(layer, "quadratic", "w", 0, 1) == (
        layer.x[1] * (layer.a[0] - layer.y[0]) * layer.f_prime[0])
    linear = pb1.last_layer("linear")
    assert pb1.claimed(linear, "quadratic", "w", 2, 0) == linear.x[0] * (linear.a[2] - linear.y[2])
    with pytest.raises(ValueError, match="'param'"):
        pb1.claimed(layer, "quadratic", "x", 0)
    with pytest.raises(ValueError, match="'cost'"):
        pb1.claimed(layer, "hinge", "w", 0)


def test_entry_tables():
    builders = pb1.entry_builders("quadratic")
    assert [b.__name__ for b in builders][:2] == ["entry_quadratic_w_11", "entry_quadratic_w_12"]
    assert len(builders) == 9 and all(b.__doc__ for b in builders)
    table = pb1.every_entry("cross_entropy")
    assert table.caption == "Cross-entropy cost: all 6 weights and 3 biases"
    assert len(table.rows) == 9 and table.notes == ("9 steps checked: 9 ✓",)
    lines = str(table).splitlines()
    assert lines[1] == r"\frac{\partial C}{\partial w_{11}}  =  a^{L-1}_{1}*(a_1 - y_1)  ✓"
    assert lines[7].startswith(r" \frac{\partial C}{\partial b_{1}}  =  a_1 - y_1 ")
    latex = table._repr_latex_()
    assert latex.count(r"\checkmark") == 9 and r"\left(a_{1} - y_{1}\right)" in latex
    assert pb2.every_entry().notes == ("9 steps checked: 9 ✓",)
    with pytest.raises(ValueError, match="'cost'"):
        pb1.every_entry("hinge")
    with pytest.raises(ValueError, match="'cost'"):
        pb1.entry_builders("hinge")


def test_exponentials_as_symbols_proves_only_zero():
    t, u = sp.symbols("t u", real=True)
    assert pb1.exponentials_as_symbols(sp.exp(t) / (1 + sp.exp(t)) - 1 + 1 / (1 + sp.exp(t))) == 0
    assert pb1.exponentials_as_symbols(sp.exp(t) - sp.exp(u)) != 0


def test_random_batch():
    X, Y = pb1.random_batch((4, 5, 2), 6, 1)
    assert X.shape == (4, 6) and Y.shape == (2, 6)
    assert set(Y[:, 0]) <= {0.0, 1.0} and ((0 <= Y) & (Y <= 1)).all()
    assert np.array_equal(pb1.random_batch((4, 5, 2), 6, 1)[1], Y)
    assert pb1.random_batch((4, 2), 3, 1, targets="normal")[1].min() < 0
    with pytest.raises(ValueError, match="'targets'"):
        pb1.random_batch((4, 2), 3, 1, targets="binary")


@pytest.mark.parametrize("cost", ["quadratic", "cross_entropy"])
def test_output_layer_formula_equals_backprop(cost):
    X, Y = pb1.random_batch(pb1.SIZES, 5, 3)
    net = Network(list(pb1.SIZES), cost=cost, seed=3)
    grad_w, grad_b = pb1.output_layer_formula(net, X, Y, cost)
    ref_w, ref_b = net.backprop(X, Y)
    np.testing.assert_allclose(grad_w, ref_w[-1], rtol=1e-13, atol=1e-16)
    np.testing.assert_allclose(grad_b, ref_b[-1], rtol=1e-13, atol=1e-16)
    f, formula = pb1.output_layer_functions(net, X, Y, cost)
    theta = pb1.output_parameters(net)
    assert f(theta) == pytest.approx(net.cost(X, Y))
    np.testing.assert_allclose(formula(theta), np.concatenate([ref_w[-1].ravel(),
                                                               ref_b[-1].ravel()]), rtol=1e-13)
    with pytest.raises(ValueError, match="'cost'"):
        pb1.output_layer_formula(net, X, Y, "hinge")


def test_saturated_network_and_table():
    net, x = pb1.saturated_network("quadratic")
    np.testing.assert_allclose(net.forward(x)[1][-1][:, 0], [10.0, -10.0], atol=1e-12)
    table = pb1.saturation_table()
    text = str(table)
    assert len(table.rows) == 4 and text.splitlines()[0].split()[0] == "targets"
    wrong = table.rows[0]
    assert float(wrong[5]) == pytest.approx(sig(10) * sig_prime(10), rel=1e-2)
    assert float(wrong[6]) == pytest.approx(sig(10), rel=1e-2)


def test_entry_table_counts_and_marks_a_wrong_source_line():
    t = sp.Symbol("t", real=True)
    d = Derivation(2 * t, lhs="f")
    d.source_error(3 * t, "source: wrong", correction=t + t, correction_reason="corrected")
    d.step(t * 2, "commute")
    table = pb1.entry_table("one chain", [d])
    assert table.notes == ("3 steps checked: 2 ✓",)
    assert table.rows[0][3].text == "✓"  # the chain ends on its correction


def test_weight_gradient_size():
    z = np.array([-3.0, 0.0, 5.0])
    np.testing.assert_allclose(neuron.weight_gradient_size(z, 1.0, "cross_entropy", x=0.5),
                               [0.5 * sig(-v) for v in z], rtol=1e-14)  # 1 − σ(v) = σ(−v)
    np.testing.assert_allclose(neuron.weight_gradient_size(z, 0.0, "quadratic"),
                               [sig(v) * sig_prime(v) for v in z], rtol=1e-13)
    with pytest.raises(ValueError, match="'cost'"):
        neuron.weight_gradient_size(z, 0.0, "hinge")
    with pytest.raises(ValueError, match="'y'"):
        neuron.weight_gradient_size(z, 1.5, "quadratic")
    with pytest.raises(ValueError, match="'z'"):
        neuron.weight_gradient_size([np.nan], 0.0, "quadratic")
    with pytest.raises(TypeError, match="'x'"):
        neuron.weight_gradient_size(z, 0.0, "quadratic", x="1")


# --------------------------------------------------------------------------- pb2 helpers


def test_far_network_and_tables():
    net, x = pb2.far_network("linear")
    np.testing.assert_allclose(net.feedforward(x)[:, 0], [20.0, -20.0], atol=1e-12)
    far = pb2.far_table()
    assert far.rows[0][3] == "+20.0" and far.rows[1][3] == "-21.0"
    hidden = pb2.hidden_saturation_table()
    assert float(hidden.rows[0][2]) < 1e-8 < 1e-4 < float(hidden.rows[1][2])


def test_learning_curves_match_the_plain_loop_and_validate():
    runs = curves.learning_curves(2.0, 0.25, 30)
    assert list(runs) == ["linear", "sigmoid"]
    for output, run in runs.items():
        cost, fit = plain_curve(2.0, 0.25, 30, output)
        assert run.output == output and run.cost.shape == (31,)
        np.testing.assert_allclose(run.cost, cost, rtol=1e-12)
        np.testing.assert_allclose(run.predict(curves.DATA_X), fit(curves.DATA_X), rtol=1e-12)
    # Each run trains its own network; a new start is untouched.
    assert not np.array_equal(runs["linear"].network.weights[0],
                              curves.initial_network(2.0).weights[0])
    with pytest.raises(ValueError, match="'eta'"):
        curves.learning_curves(6.0, 0.0, 3)
    with pytest.raises(ValueError, match="'epochs'"):
        curves.learning_curves(6.0, 0.5, 0)
    with pytest.raises(TypeError, match="'z0'"):
        curves.learning_curves("6", 0.5, 3)


def test_initial_network_sets_the_mean_output():
    for output in ("linear", "sigmoid"):
        net = curves.initial_network(-3.5, output)
        assert net.output.name == output and net.cost_function.name == "quadratic"
        w2, b2, w3, b3 = net.weights[0], net.biases[0], net.weights[1], net.biases[1]
        z = w3 @ (1 / (1 + np.exp(-(w2 @ curves.DATA_X + b2)))) + b3
        assert z.mean() == pytest.approx(-3.5, abs=1e-12)
    np.testing.assert_array_equal(curves.initial_network(1.0, "linear").flat_parameters(),
                                  curves.initial_network(1.0, "sigmoid").flat_parameters())


# --------------------------------------------------------------------------- slowdown helpers


@pytest.mark.parametrize("rule", list(curves.RULES))
def test_slowdown_descent_matches_the_plain_loop(rule):
    t = curves.neuron_descent(0.6, 0.9, 0.15, 120, rule)
    assert t.epochs == 120 and t.rule == rule and t.eta == 0.15
    np.testing.assert_allclose(t.output, plain_descent(0.6, 0.9, 0.15, 120, rule), rtol=1e-10,
                               atol=1e-300)
    np.testing.assert_allclose(t.output, [sig(w + b) for w, b in zip(t.w, t.b, strict=True)])
    assert (t.w[0], t.b[0]) == (0.6, 0.9)


def test_slowdown_book_page_rule_far_below_zero():
    # The page's step 1/(1 − a) = 1 + e^z tends to 1 as z → −∞: the run goes on, a = 0.
    t = curves.neuron_descent(2.0, 2.0, 2.0, 600, "book_page")
    assert t.output[-1] == 0.0 and np.all(np.isfinite(t.w))
    np.testing.assert_allclose(np.diff(t.w)[-10:], -2.0, rtol=1e-15)


@pytest.mark.parametrize(("args", "error", "match"), [
    ((np.nan, 0.9, 0.15), ValueError, "'w0'"), ((0.6, "b", 0.15), TypeError, "'b0'"),
    ((0.6, 0.9, -1.0), ValueError, "'eta'"), ((0.6, 0.9, 0.15, 0), ValueError, "'epochs'"),
    ((0.6, 0.9, 0.15, 2.5), TypeError, "'epochs'"),
    ((0.6, 0.9, 0.15, 10, "adam"), ValueError, "'rule'")])
def test_slowdown_descent_bad_input(args, error, match):
    with pytest.raises(error, match=match):
        curves.neuron_descent(*args)


def test_slowdown_book_page_overflow_is_reported():
    with pytest.raises(ValueError, match="overflows"):
        curves.neuron_descent(400.0, 400.0, 0.005, 3, "book_page")


def test_slowdown_tables():
    assert len(slowdown.runs_table().rows) == len(slowdown.RUNS)
    rows = slowdown.book_page_table().rows
    assert rows[1][3] == f"{1 / (1 - sig(4.0)):.2f}"
