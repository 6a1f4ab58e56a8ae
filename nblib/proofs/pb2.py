"""Problem 2: the quadratic cost with linear output neurons has δᴸ = aᴸ − y.

With aᴸ = f(zᴸ) and f(z) = z, BP1 gives δ_jᴸ = (∂C/∂a_jᴸ) f′(z_jᴸ) = a_jᴸ − y_j, so BP4 and
BP3 give ∂C/∂w_jkᴸ = a_kᴸ⁻¹ (a_jᴸ − y_j) and ∂C/∂b_jᴸ = a_jᴸ − y_j, averaged over the
examples for the full cost. The derivations follow the worked solution's lines (BP1,
∂C/∂a_j = a_j − y_j, f′ = 1, BP4, BP3, the average), all of which hold, and then check every
weight and bias of a concrete linear layer of 3 outputs and 2 inputs.

The numeric part checks backprop for a network with a linear output layer, shows that an
output far from its target keeps a large gradient (a sigmoid output there would have
almost none), and that the cure stops at the output layer: a saturated *hidden* neuron
still learns slowly. :func:`~nblib.network.curves.learning_curves`, what the explorer
draws, trains a small network both ways from a saturated start by full-batch
:meth:`Network.descend <nblib.network.network.Network.descend>`; the checks here hold its
step to central differences and assert the slowdown.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

import numpy as np
import sympy as sp

from nblib.network.curves import DATA_X, DATA_Y, initial_network, learning_curves
from nblib.network.network import Network
from nblib.proof.derivation import Derivation
from nblib.proof.exercise import Exercise
from nblib.proof.notation import named
from nblib.proofs.pb1 import (
    HINTS,
    J,
    K,
    averaged,
    dC_da,
    delta,
    entry_builders,
    entry_table,
    last_layer,
    layer_cost,
    output_layer_functions,
    output_parameters,
    random_batch,
)
from nblib.reports.checks import CheckReport, check_gradient, check_values
from nblib.reports.portable import fixed, scientific
from nblib.reports.table import Table

# --------------------------------------------------------------------------- derivations


def every_entry() -> Table:
    """Every weight and bias of the concrete linear layer (3 outputs, 2 inputs)."""
    return entry_table("Linear outputs, quadratic cost: all 6 weights and 3 biases",
                       [build() for build in ENTRIES])


# --- begin cells exported from notebooks/05_pb2_linear_outputs.ipynb
_W = r"\frac{\partial C}{\partial w_{21}}"
_B = r"\frac{\partial C}{\partial b_{2}}"


def f_prime() -> Derivation:
    """f′(z) = 1 for the linear activation f(z) = z."""
    z = sp.Symbol("z", real=True)
    d = Derivation(sp.Derivative(z, z), lhs="f'(z)", reason="$f(z) = z$")
    return d.step(sp.S.One, "the source: $f'(x) = 1$ for every real $x$")


def linear_delta() -> Derivation:
    """δ_2 = a_2 − y_2 for linear outputs, along the source's lines."""
    layer = last_layer("linear")
    a, y, fp = layer.a[J], layer.y[J], layer.f_prime[J]
    start = named(r"\frac{\partial C}{\partial z_{2}}", delta(layer, "quadratic", J).args[0],
                  "dC/dz_2")
    d = Derivation(start, lhs=r"\delta_{2}", reason="definition of the output error",
                   domains=layer.domains, hints=HINTS)
    d.step(dC_da(layer, "quadratic", J) * fp, "BP1 (source, line 1)")
    d.step((a - y) * fp, r"$\partial C / \partial a_j = a_j - y_j$ (source, line 2)")
    return d.step(a - y, "$f'(z_j) = 1$ (source, lines 2 and 3)")


def linear_weight() -> Derivation:
    """∂C/∂w_21 = a_1ᴸ⁻¹ (a_2 − y_2), by BP4 and δ = a − y."""
    layer = last_layer("linear")
    d = Derivation(sp.Derivative(layer_cost(layer, "quadratic"), layer.w[J, K]), lhs=_W,
                   domains=layer.domains, hints=HINTS)
    d.step(layer.x[K] * delta(layer, "quadratic", J), "BP4 (source)")
    return d.step(layer.x[K] * (layer.a[J] - layer.y[J]), r"$\delta_j = a_j - y_j$ (source)")


def linear_bias() -> Derivation:
    """∂C/∂b_2 = a_2 − y_2, by BP3 and δ = a − y."""
    layer = last_layer("linear")
    d = Derivation(sp.Derivative(layer_cost(layer, "quadratic"), layer.b[J]), lhs=_B,
                   domains=layer.domains, hints=HINTS)
    d.step(delta(layer, "quadratic", J), "BP3 (source)")
    return d.step(layer.a[J] - layer.y[J], r"$\delta_j = a_j - y_j$ (source)")


# One linear neuron in symbols a learner can type: input x (an a^{L-1}_k), weight w, bias b,
# target y, and a = z = wx + b.
w, x, b, y = sp.symbols("w x b y", real=True)


def linear_weight_one_neuron() -> Derivation:
    """∂C/∂w = x (a − y) for one linear neuron under the quadratic cost, in plain symbols.

    BP1 with f′ = 1 and then BP4, as in :func:`linear_delta` and :func:`linear_weight`, for
    a = z = wx + b. It starts and ends where :data:`EXERCISE` says, and the "Your turn" box
    checks a learner's own lines against the same declaration.
    """
    d = EXERCISE.derivation()
    d.step((w * x + b - y) * sp.Derivative(w * x + b, w),
           r"chain rule: $\partial C / \partial a = a - y$ and $f'(z) = 1$ (BP1)")
    return d.step(EXERCISE.target, r"$\partial z / \partial w = x$ (BP4)")


# ∂C/∂w = x (a − y) as an exercise: the "Your turn" box and the chain above share it.
EXERCISE = Exercise(
    id="pb2",
    statement="∂C/∂w = x(a − y) for one linear output neuron, a = z = wx + b, under the "
              "quadratic cost",
    symbols={"w": w, "x": x, "b": b, "y": y},
    functions={"Derivative": sp.Derivative},
    start=sp.Derivative((w * x + b - y) ** 2 / 2, w),
    target=x * (w * x + b - y),
    lhs=r"\frac{\partial C}{\partial w}",
    reason=r"$C = \frac{1}{2} (a - y)^2$ with $a = z = wx + b$",
    assumptions=r"one linear output neuron: input $x$ (an $a^{L-1}_k$), weight $w$, bias $b$, "
                r"target $y$",
    # The default for a real symbol, stated where the learner sees it.
    domains={w: (-3.0, 3.0), x: (-3.0, 3.0), b: (-3.0, 3.0), y: (-3.0, 3.0)},
    worked=linear_weight_one_neuron,
)
# --- end of exported cells (edit them in the notebook, then run `make export`)


ENTRIES = entry_builders("quadratic", activation="linear", prefix="entry_linear_")
DERIVATIONS = (f_prime, linear_delta, linear_weight, linear_bias, linear_weight_one_neuron,
               *(functools.partial(averaged, "quadratic", p, activation="linear") for p in "wb"),
               *ENTRIES)


# --------------------------------------------------------------------------- numerics

SIZES = (4, 5, 3, 2)
SEED = 64


def _linear_network(seed: int = SEED) -> Network:
    return Network(list(SIZES), output="linear", cost="quadratic", seed=seed)


def network_checks() -> CheckReport:
    """Backprop of a [4, 5, 3, 2] network with linear outputs against central differences."""
    X, Y = random_batch(SIZES, 6, SEED, targets="normal")
    net = _linear_network()
    f, grad = net.gradient_check_functions(X, Y)
    results = [check_gradient(f, grad, net.flat_parameters(), tol=1e-6,
                              name=f"backprop, all {net.num_parameters} parameters")]
    f, formula = output_layer_functions(net, X, Y, "quadratic")
    results.append(check_gradient(f, formula, output_parameters(net), tol=1e-6,
                                  resolution=1e-8,
                                  name="∂C/∂w^L, ∂C/∂b^L = (1/n) Σ_x a^(L-1)_k (a_j − y_j), "
                                       "(1/n) Σ_x (a_j − y_j)"))
    results.append(check_values(net.output_error(X, Y), net.feedforward(X) - Y, tol=0.0,
                                name="network's δ^L against a^L − y"))
    return CheckReport(results)


FAR = (20.0, -20.0)


def far_network(output: str, z_out: Sequence[float] = FAR) -> tuple[Network, np.ndarray]:
    """A [4, 5, 3, 2] network and one input whose output weighted inputs are ``z_out``."""
    net = Network(list(SIZES), output=output, cost="quadratic", seed=SEED)
    x = np.random.default_rng(SEED + 1).standard_normal((SIZES[0], 1))
    hidden = net.forward(x)[0][-2]
    net.biases[-1] = np.asarray(z_out, dtype=float).reshape(-1, 1) - net.weights[-1] @ hidden
    return net, x


def far_checks() -> CheckReport:
    """Outputs at z = ±20 with targets 0 and 1: the linear network's gradient is large and
    right (central differences), and δᴸ = a − y exactly.

    The cost is about 400 here while some hidden-layer entries of the gradient are near
    1e-3, so the difference quotient needs a step of 1e-4: at 1e-6 its rounding noise,
    about 1e-16 · 400 / 1e-6, would be a few parts in 1e6 of those entries.
    """
    net, x = far_network("linear")
    y = np.array([[0.0], [1.0]])
    f, grad = net.gradient_check_functions(x, y)
    return CheckReport([
        check_gradient(f, grad, net.flat_parameters(), tol=1e-6, h=1e-4,
                       name="z^L = (20, −20), y = (0, 1): backprop, all layers"),
        check_values(net.output_error(x, y), np.array([[20.0], [-21.0]]), tol=1e-12,
                     name="z^L = (20, −20), y = (0, 1): δ^L = a^L − y = (20, −21)"),
    ])


def far_table() -> Table:
    """δᴸ and the largest |∂C/∂wᴸ| at z = ±20, linear outputs against sigmoid outputs."""
    y = np.array([[0.0], [1.0]])
    rows = []
    deltas, grads = {}, {}
    for output in ("linear", "sigmoid"):
        net, x = far_network(output)
        deltas[output] = net.output_error(x, y)[:, 0]
        grads[output] = np.abs(net.backprop(x, y)[0][-1]).max(axis=1)
    for j in range(2):
        rows.append((f"{j + 1}", f"{FAR[j]:+.0f}", f"{y[j, 0]:.0f}",
                     fixed(deltas['linear'][j], 1, sign=True), scientific(grads['linear'][j]),
                     scientific(deltas['sigmoid'][j], sign=True), scientific(grads['sigmoid'][j])))
    return Table(("j", "z_j", "y_j", "δ_j linear", "max|∂C/∂w_jk| linear",
                  "δ_j sigmoid", "max|∂C/∂w_jk| sigmoid"), tuple(rows))


def hidden_saturation_table() -> Table:
    """A saturated hidden neuron learns slowly even under linear outputs.

    Network [2, 3, 1] with a linear output; hidden neuron 1 gets bias 20 (σ′ ≈ 2e-9), the
    others stay as drawn. The gradient of each hidden neuron's incoming weights.
    """
    net = Network([2, 3, 1], output="linear", cost="quadratic", seed=SEED)
    net.biases[0][0, 0] = 20.0
    rng = np.random.default_rng(SEED + 2)
    X, Y = rng.standard_normal((2, 5)), rng.standard_normal((1, 5))
    zs = net.forward(X)[1][0]
    grad_w = net.backprop(X, Y)[0][0]
    rows = tuple((f"{i + 1}", fixed(zs[i].mean(), 2, sign=True),
                  scientific(np.abs(grad_w[i]).max())) for i in range(3))
    return Table(("hidden neuron", "mean z", "max|∂C/∂w| of its inputs"), rows)


# --------------------------------------------------------------------------- learning curves


def curve_table(z0: float = 6.0, eta: float = 0.5, epochs: Sequence[int] = (0, 10, 50, 100, 300)
                ) -> Table:
    """The cost after the given epochs, linear and sigmoid outputs from the same start."""
    curves = learning_curves(z0, eta, max(epochs))
    rows = tuple((output, *(fixed(run.cost[e], 4) for e in epochs))
                 for output, run in curves.items())
    return Table(("output", *(f"C({e})" for e in epochs)), rows)


def learning_curve_checks() -> CheckReport:
    """The explorer's training step against central differences, and the slowdown it shows.

    One epoch of the curve from θ₀ moves the parameters to θ₁ = θ₀ − η ∇C(θ₀), so
    (θ₀ − θ₁)/η is the gradient the curve steps by; it is compared, at z0 = 6, with central
    differences of the quadratic cost on the explorer's data. The saturated sigmoid output's
    gradient has entries near 1e-6 against a cost near 0.15, so the step is h = 1e-4: at
    1e-6 the quotient's rounding noise would be a few parts in a million of those entries.
    """
    results = []
    for output in ("linear", "sigmoid"):
        net = initial_network(6.0, output)
        f, _ = net.gradient_check_functions(DATA_X, DATA_Y)

        def step_gradient(theta: np.ndarray, net: Network = net) -> np.ndarray:
            scratch = net.copy()
            scratch.set_flat_parameters(theta)
            scratch.descend(DATA_X, DATA_Y, 1, 0.5)
            return (theta - scratch.flat_parameters()) / 0.5

        results.append(check_gradient(f, step_gradient, net.flat_parameters(), tol=1e-6,
                                      h=1e-4, floor=1e-6,
                                      name=f"{output} output, z0 = 6, η = 0.5: the curve's step "
                                           "(θ₀ − θ₁)/η against central differences of C"))
    curves = learning_curves(6.0, 0.5, 50)
    linear, sigmoid = curves["linear"].cost, curves["sigmoid"].cost
    # Violations of the claims, 0 when they hold.
    results.append(check_values(max(0.0, linear[50] - 0.05), 0.0, tol=0.0, kind="absolute",
                                name="linear output, z0 = 6: cost below 0.05 after 50 epochs"))
    results.append(check_values(max(0.0, (sigmoid[0] - sigmoid[50]) - 0.01 * sigmoid[0]), 0.0,
                                tol=0.0, kind="absolute",
                                name="sigmoid output, z0 = 6: cost falls by under 1% "
                                     "in 50 epochs"))
    return CheckReport(results)


CHECKS = (network_checks, far_checks, learning_curve_checks)
