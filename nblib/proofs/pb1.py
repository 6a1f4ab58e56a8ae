"""Problem 1: the output layer's gradient under the quadratic and the cross-entropy cost.

For a network with sigmoid output neurons, the notebook proves

* quadratic cost: ∂C/∂w_jkᴸ = a_kᴸ⁻¹ (a_jᴸ − y_j) σ′(z_jᴸ) and ∂C/∂b_jᴸ = (a_jᴸ − y_j) σ′(z_jᴸ);
* cross-entropy cost: δᴸ = aᴸ − y, so ∂C/∂w_jkᴸ = a_kᴸ⁻¹ (a_jᴸ − y_j) and ∂C/∂b_jᴸ = a_jᴸ − y_j;
* for the cost averaged over n examples, the same forms averaged, (1/n) Σ_x.

The source-following derivations take the worked solution's lines one by one: BP4 then
BP1 for the quadratic cost; BP1, the derivative of the cross-entropy, σ′ = σ(1 − σ) and two
lines of algebra for δᴸ; then BP4 and BP3. Every line of the source holds as written. On
top of that, every weight and every bias of a concrete layer (3 outputs, 2 inputs) is
differentiated directly from the cost and compared with the claimed form.

:func:`shown` and :func:`last_layer` are reused by the problem 2 module.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import sympy as sp

from nblib.network.network import Network
from nblib.numerics.activations import sigmoid_prime
from nblib.proof.derivation import CHECK, CROSS, Derivation
from nblib.proof.exercise import Exercise
from nblib.proof.notation import named
from nblib.proof.symbolic import sigma, sigmoid_layer, symbols_vector, weight_matrix, weighted_input
from nblib.reports.checks import CheckReport, check_gradient, check_values
from nblib.reports.portable import fixed, scientific
from nblib.reports.table import Math, Table

OUTPUTS, INPUTS = 3, 2
COSTS = ("quadratic", "cross_entropy")
ACTIVATIONS = ("sigmoid", "linear")
#: The output j and input k that the source-following chains are written for.
J, K = 1, 0  # Python indices of output 2 and input 1

_t = sp.Symbol("t", real=True)


# --------------------------------------------------------------------------- names


def exponentials_as_symbols(expr: sp.Expr) -> sp.Expr:
    """A zero-test hint: put a fresh symbol in place of each distinct e^(…), then cancel.

    If the result is 0 as a rational function of those symbols, it stays 0 when the
    exponentials are put back, so this can only prove true steps. It spares ``cancel`` the
    exponentials, which makes this module's derivations about a quarter faster.
    """
    powers = sorted(expr.atoms(sp.exp), key=sp.default_sort_key)
    fresh = sp.symbols(f"_e0:{len(powers)}")
    return sp.cancel(expr.xreplace(dict(zip(powers, fresh, strict=True))))


HINTS = (exponentials_as_symbols,)


# --------------------------------------------------------------------------- the layer


@dataclass(frozen=True)
class LastLayer:
    """A concrete output layer of symbols, for one training example.

    ``x[k]`` is the symbol a_kᴸ⁻¹ (the previous layer's activation); ``z[j]`` =
    Σ_k w_jk a_kᴸ⁻¹ + b_j, ``a[j]`` = f(z_j), ``f_prime[j]`` = f′(z_j) and ``y[j]`` (the
    target) are displayed by their names and checked as their definitions. ``w`` and ``b``
    are shared by every example; ``inputs`` and ``targets`` are the plain symbols of this
    example.
    """

    activation: str
    example: int
    w: sp.ImmutableMatrix
    b: sp.ImmutableMatrix
    inputs: tuple[sp.Symbol, ...]
    targets: tuple[sp.Symbol, ...]
    x: tuple[sp.Expr, ...]
    y: tuple[sp.Expr, ...]
    z: tuple[sp.Expr, ...]
    a: tuple[sp.Expr, ...]
    f_prime: tuple[sp.Expr, ...]

    @property
    def domains(self) -> dict[sp.Symbol, tuple[float, float]]:
        """Sampling intervals: targets and the previous layer's activations in (0, 1)."""
        return {s: (0.01, 0.99) for s in (*self.inputs, *self.targets)}


def _label(symbol: str, index: int, example: int) -> tuple[str, str]:
    """LaTeX and text of e.g. a_2, or a_2 of example 1 written a^{(1)}_2."""
    sup = f"^{{({example})}}" if example else ""
    tail = f"({example})" if example else ""
    return f"{symbol}{sup}_{{{index + 1}}}", f"{symbol}{tail}_{index + 1}"


def _indexed(symbol: str, index: int, example: int, definition: sp.Expr) -> sp.Expr:
    """``definition`` shown as symbol_index (of the given example)."""
    latex, text = _label(symbol, index, example)
    return named(latex, definition, text)


@functools.cache
def last_layer(
    activation: str = "sigmoid", outputs: int = OUTPUTS, inputs: int = INPUTS, example: int = 0
) -> LastLayer:
    """The output layer with ``outputs`` neurons and ``inputs`` inputs, as symbols.

    ``activation`` is ``"sigmoid"`` (a = σ(z)) or ``"linear"`` (a = z, problem 2);
    ``example`` numbers the training example (0: a single example, names without a tag).
    """
    if activation not in ACTIVATIONS:
        raise ValueError(f"last_layer: argument 'activation' must be one of {ACTIVATIONS} "
                         f"(got {activation!r})")
    if not isinstance(example, int) or isinstance(example, bool) or example < 0:
        raise ValueError(f"last_layer: argument 'example' must be an integer ≥ 0 "
                         f"(got {example!r})")
    w, b = weight_matrix(outputs, inputs), symbols_vector("b", outputs)
    sup = f",({example})" if example else ""
    # The previous layer's activations are plain symbols named as the book writes them.
    plain_x = tuple(sp.Symbol(f"a^{{L-1{sup}}}_{{{k + 1}}}", real=True) for k in range(inputs))
    plain_y = symbols_vector(f"y{example}" if example else "y", outputs)
    x = plain_x
    y = tuple(_indexed("y", j, example, plain_y[j]) for j in range(outputs))
    z_def = weighted_input(w, sp.Matrix(x), b)
    z = tuple(_indexed("z", j, example, z_def[j]) for j in range(outputs))
    if activation == "sigmoid":
        a_def = sigmoid_layer(sp.Matrix(z))
        slope = sp.diff(1 / (1 + sp.exp(-_t)), _t)  # σ′ by differentiating σ's definition
        prime, prime_text = "\\sigma'", "σ′"
    else:
        a_def = sp.Matrix(z)
        slope = sp.diff(_t, _t)  # f(t) = t
        prime, prime_text = "f'", "f′"
    a = tuple(_indexed("a", j, example, a_def[j]) for j in range(outputs))
    f_prime = tuple(
        named(f"{prime}\\left({_label('z', j, example)[0]}\\right)", slope.subs(_t, z[j]),
              f"{prime_text}({_label('z', j, example)[1]})")
        for j in range(outputs))
    return LastLayer(activation, example, sp.ImmutableMatrix(w), sp.ImmutableMatrix(b),
                     plain_x, tuple(plain_y), x, y, z, a,
                     f_prime)


def _check_cost(cost: str, func: str) -> str:
    if cost not in COSTS:
        raise ValueError(f"{func}: argument 'cost' must be one of {COSTS} (got {cost!r})")
    return cost


def cost_of(activations: Sequence[sp.Expr], targets: Sequence[sp.Expr], cost: str) -> sp.Expr:
    """The cost of one example: ½ Σ_j (a_j − y_j)² or −Σ_j [y_j ln a_j + (1 − y_j) ln(1 − a_j)]."""
    _check_cost(cost, "cost_of")
    pairs = list(zip(activations, targets, strict=True))
    if cost == "quadratic":
        return sp.Rational(1, 2) * sp.Add(*[(a - y) ** 2 for a, y in pairs])
    return -sp.Add(*[y * sp.log(a) + (1 - y) * sp.log(1 - a) for a, y in pairs])


@functools.cache
def layer_cost(layer: LastLayer, cost: str) -> sp.Expr:
    """The cost of the layer's example, displayed as C (as C_(1) for example 1)."""
    e = layer.example
    latex, text = (f"C_{{({e})}}", f"C({e})") if e else ("C", "C")
    return named(latex, cost_of(layer.a, layer.y, cost), text)


def _free(name: str, n: int) -> tuple[sp.Symbol, ...]:
    return tuple(symbols_vector(name, n))


@functools.cache
def dC_da(layer: LastLayer, cost: str, j: int) -> sp.Expr:
    """∂C/∂a_j: the cost differentiated in its j-th argument, then evaluated at a = f(z)."""
    alpha = _free("alpha", len(layer.a))
    derivative = sp.diff(cost_of(alpha, layer.y, cost), alpha[j])
    return named(rf"\frac{{\partial C}}{{\partial {_label('a', j, layer.example)[0]}}}",
                 derivative.subs(dict(zip(alpha, layer.a, strict=True))), f"dC/da_{j + 1}")


@functools.cache
def delta(layer: LastLayer, cost: str, j: int) -> sp.Expr:
    """δ_j = ∂C/∂z_j: the cost as a function of the weighted inputs, differentiated."""
    zeta = _free("zeta", len(layer.z))
    f = (lambda v: 1 / (1 + sp.exp(-v))) if layer.activation == "sigmoid" else (lambda v: v)
    derivative = sp.diff(cost_of([f(v) for v in zeta], layer.y, cost), zeta[j])
    return named(_label(r"\delta", j, layer.example)[0],
                 derivative.subs(dict(zip(zeta, layer.z, strict=True))), f"δ_{j + 1}")


# --------------------------------------------------------------------------- derivations

_W = r"\frac{\partial C}{\partial w_{21}}"
_B = r"\frac{\partial C}{\partial b_{2}}"


def claimed(layer: LastLayer, cost: str, param: str, j: int, k: int = 0) -> sp.Expr:
    """The claimed ∂C/∂w_jk (``param="w"``) or ∂C/∂b_j (``param="b"``) for one example.

    Quadratic cost: a_kᴸ⁻¹ (a_j − y_j) f′(z_j) and (a_j − y_j) f′(z_j); cross-entropy
    (sigmoid outputs only): the same without f′(z_j). With linear outputs (problem 2) the
    quadratic cost's f′(z_j) = 1 is left out, as the source writes it.
    """
    _check_cost(cost, "claimed")
    if param not in ("w", "b"):
        raise ValueError(f"claimed: argument 'param' must be 'w' or 'b' (got {param!r})")
    error = layer.a[j] - layer.y[j]
    if cost == "quadratic" and layer.activation == "sigmoid":
        error = error * layer.f_prime[j]
    return layer.x[k] * error if param == "w" else error


# --- begin cells exported from notebooks/04_pb1_many_layers.ipynb
def quadratic_dC_da() -> Derivation:
    """∂C/∂a_j = a_j − y_j for C = ½ Σ_i (a_i − y_i)², here j = 2, the a_i free variables."""
    a = _free("a", OUTPUTS)
    y = last_layer().y
    d = Derivation(sp.Derivative(cost_of(a, y, "quadratic"), a[J]),
                   lhs=r"\frac{\partial C}{\partial a_{2}}",
                   reason=r"$C = \frac{1}{2} \sum_i (a_i - y_i)^2$ (source)",
                   domains=last_layer().domains, hints=HINTS)
    return d.step(a[J] - y[J], "only the term i = 2 depends on $a_2$ (source)")


def quadratic_weight() -> Derivation:
    """Quadratic cost, ∂C/∂w_21: the source's BP4, BP1 and ∂C/∂a_j = a_j − y_j."""
    layer = last_layer()
    d = Derivation(sp.Derivative(layer_cost(layer, "quadratic"), layer.w[J, K]), lhs=_W,
                   domains=layer.domains, hints=HINTS)
    d.step(layer.x[K] * delta(layer, "quadratic", J), "BP4 (source, line 1)")
    d.step(layer.x[K] * dC_da(layer, "quadratic", J) * layer.f_prime[J], "BP1 (source, line 2)")
    return d.step(layer.x[K] * (layer.a[J] - layer.y[J]) * layer.f_prime[J],
                  r"$\partial C / \partial a_j = a_j - y_j$ (source)")


def quadratic_bias() -> Derivation:
    """Quadratic cost, ∂C/∂b_2 = (a_2 − y_2) σ′(z_2), by BP3 and BP1."""
    layer = last_layer()
    d = Derivation(sp.Derivative(layer_cost(layer, "quadratic"), layer.b[J]), lhs=_B,
                   domains=layer.domains, hints=HINTS)
    d.step(delta(layer, "quadratic", J), "BP3 (source, last paragraph)")
    d.step(dC_da(layer, "quadratic", J) * layer.f_prime[J], "BP1")
    return d.step((layer.a[J] - layer.y[J]) * layer.f_prime[J],
                  r"$\partial C / \partial a_j = a_j - y_j$")


def cross_entropy_dC_da() -> Derivation:
    """∂C/∂a_j of the cross-entropy, the source's second line of δ_j, with free a_i."""
    a = _free("a", OUTPUTS)
    y = last_layer().y
    with sp.evaluate(False):
        source = -(y[J] / a[J] - (1 - y[J]) / (1 - a[J]))
    d = Derivation(sp.Derivative(cost_of(a, y, "cross_entropy"), a[J]),
                   lhs=r"\frac{\partial C}{\partial a_{2}}",
                   reason=r"$C = -\sum_i [y_i \ln a_i + (1 - y_i) \ln(1 - a_i)]$",
                   domains={**last_layer().domains, **{s: (0.01, 0.99) for s in a}},
                   hints=HINTS)
    d.step(sp.Derivative(-(y[J] * sp.log(a[J]) + (1 - y[J]) * sp.log(1 - a[J])), a[J]),
           "only the term i = 2 depends on $a_2$")
    return d.step(source, r"$(\ln u)' = 1/u$, chain rule for $\ln(1 - a_2)$")


def cross_entropy_delta() -> Derivation:
    """δ_2 = a_2 − y_2 for the cross-entropy, along the source's six lines."""
    layer = last_layer()
    a, y, s = layer.a[J], layer.y[J], sigma(layer.z[J])
    with sp.evaluate(False):
        # −(…) around the whole product keeps the source's order of factors on screen.
        line_2 = -((y / a - (1 - y) / (1 - a)) * layer.f_prime[J])
        line_3 = -((y / s - (1 - y) / (1 - s)) * s * (1 - s))
        line_4 = -(y * (1 - s) - (1 - y) * s)
        line_5 = s - y
        line_6 = a - y
    start = named(r"\frac{\partial C}{\partial z_{2}}", delta(layer, "cross_entropy", J).args[0],
                  "dC/dz_2")
    d = Derivation(start, lhs=r"\delta_{2}", reason="definition of the output error",
                   domains=layer.domains, hints=HINTS)
    d.step(dC_da(layer, "cross_entropy", J) * layer.f_prime[J],
           "BP1 (source, $\\delta$ line 1)")
    d.step(line_2, "derivative of the cross-entropy (source, $\\delta$ line 2)")
    d.step(line_3, "$a_j = \\sigma(z_j)$ and $\\sigma' = \\sigma(1 - \\sigma)$ "
                   "(source, $\\delta$ line 3)")
    d.step(line_4, "multiply out (source, $\\delta$ line 4)")
    d.step(line_5, "the $y_j \\sigma$ terms cancel (source, $\\delta$ line 5)")
    return d.step(line_6, "$\\sigma(z_j) = a_j$ (source, $\\delta$ line 6)")


# One output neuron in symbols a learner can type: z for z_j, y for y_j, σ(z) for a_j.
z, y = sp.symbols("z y", real=True)


def cross_entropy_weight() -> Derivation:
    """Cross-entropy, ∂C/∂w_21 = a_1ᴸ⁻¹ (a_2 − y_2), by BP4 and δ = a − y."""
    layer = last_layer()
    d = Derivation(sp.Derivative(layer_cost(layer, "cross_entropy"), layer.w[J, K]), lhs=_W,
                   domains=layer.domains, hints=HINTS)
    d.step(layer.x[K] * delta(layer, "cross_entropy", J), "BP4 (source)")
    return d.step(layer.x[K] * (layer.a[J] - layer.y[J]), r"$\delta_j = a_j - y_j$ (source)")


def cross_entropy_bias() -> Derivation:
    """Cross-entropy, ∂C/∂b_2 = a_2 − y_2, by BP3 and δ = a − y."""
    layer = last_layer()
    d = Derivation(sp.Derivative(layer_cost(layer, "cross_entropy"), layer.b[J]), lhs=_B,
                   domains=layer.domains, hints=HINTS)
    d.step(delta(layer, "cross_entropy", J), "BP3 (source, last paragraph)")
    return d.step(layer.a[J] - layer.y[J], r"$\delta_j = a_j - y_j$")


def cross_entropy_delta_one_output() -> Derivation:
    """δ_j = σ(z_j) − y_j for one sigmoid output under the cross-entropy, in plain symbols.

    The chain of :func:`cross_entropy_delta` with z = z_j, y = y_j and a_j written σ(z): it
    starts and ends where :data:`EXERCISE` says, and the "Your turn" box checks a learner's
    own lines against the same declaration.
    """
    s = sigma(z)
    with sp.evaluate(False):  # the source's order of factors, as in cross_entropy_delta
        line_2 = -((y / s - (1 - y) / (1 - s)) * sp.Derivative(s, z))
        line_3 = -((y / s - (1 - y) / (1 - s)) * s * (1 - s))
    d = EXERCISE.derivation()
    d.step(line_2, r"BP1, $\partial C / \partial a_j$ at $a_j = \sigma(z_j)$")
    d.step(line_3, r"$\sigma' = \sigma(1 - \sigma)$ (Exercise 1)")
    # Multiplying out gives −y(1 − σ(z)) + (1 − y)σ(z), already the target by algebra alone
    # (Exercise.reaches_target), so the chain goes straight on to the target.
    return d.step(EXERCISE.target, r"multiply out: the $y \sigma(z)$ terms cancel")


# δ_j = a_j − y_j as an exercise: the "Your turn" box and the chain above share it.
EXERCISE = Exercise(
    id="pb1",
    statement="δ_j = σ(z) − y, that is a_j − y_j, for a sigmoid output under the "
              "cross-entropy",
    symbols={"z": z, "y": y},
    functions={"sigma": sigma, "exp": sp.exp, "log": sp.log, "Derivative": sp.Derivative},
    start=sp.Derivative(-(y * sp.log(sigma(z)) + (1 - y) * sp.log(1 - sigma(z))), z),
    target=sigma(z) - y,
    lhs=r"\delta_j",
    reason=r"$\delta_j = \partial C / \partial z_j$; only the $j$ term of $C$ depends on $z_j$",
    assumptions=r"$z = z_j$, $y = y_j$ of one sigmoid output $j$, $a_j = \sigma(z)$, "
                r"$0 \le y \le 1$",
    domains={z: (-3.0, 3.0), y: (0.0, 1.0)},
    worked=cross_entropy_delta_one_output,
)


def averaged(cost: str, param: str, activation: str = "sigmoid") -> Derivation:
    """∂C/∂w_21 (or ∂C/∂b_2) of the cost averaged over two examples, C = ½ (C_(1) + C_(2)).

    The layer has 2 outputs and 2 inputs (3 outputs would only make SymPy slower).
    """
    examples = [last_layer(activation, outputs=2, example=e) for e in (1, 2)]
    p = examples[0].w[J, K] if param == "w" else examples[0].b[J]
    costs = [layer_cost(layer, cost) for layer in examples]
    domains = {s: r for layer in examples for s, r in layer.domains.items()}
    half = sp.Rational(1, 2)
    d = Derivation(sp.Derivative(half * (costs[0] + costs[1]), p), domains=domains, hints=HINTS,
                   lhs=_W if param == "w" else _B,
                   reason=r"$C = \frac{1}{n} \sum_x C_x$ with n = 2")
    d.step(half * (sp.Derivative(costs[0], p) + sp.Derivative(costs[1], p)),
           "the derivative of a sum is the sum of the derivatives")
    k = K if param == "w" else 0
    return d.step(half * sp.Add(*[claimed(layer, cost, param, J, k) for layer in examples]),
                  "the single-example result, for each example (source)")
# --- end of exported cells (edit them in the notebook, then run `make export`)


# --------------------------------------------------------------------------- every entry


def entry(cost: str, param: str, j: int, k: int = 0, activation: str = "sigmoid") -> Derivation:
    """∂C/∂w_jk or ∂C/∂b_j of the concrete layer, from SymPy's derivative of the cost."""
    layer = last_layer(activation)
    p = layer.w[j, k] if param == "w" else layer.b[j]
    name = f"w_{{{j + 1}{k + 1}}}" if param == "w" else f"b_{{{j + 1}}}"
    d = Derivation(sp.Derivative(layer_cost(layer, cost), p),
                   lhs=rf"\frac{{\partial C}}{{\partial {name}}}", domains=layer.domains,
                   hints=HINTS)
    return d.step(claimed(layer, cost, param, j, k), "claimed form")


def _entry_builder(cost: str, param: str, j: int, k: int, activation: str,
                   prefix: str) -> Callable[[], Derivation]:
    """A no-argument function that builds one entry, named for the index page."""

    def build() -> Derivation:
        return entry(cost, param, j, k, activation)

    label = f"w_{j + 1}{k + 1}" if param == "w" else f"b_{j + 1}"
    build.__name__ = build.__qualname__ = f"{prefix}{cost}_{label}"
    build.__doc__ = f"{cost} cost, ∂C/∂{label} of the concrete layer against the claimed form."
    return build


def entry_builders(cost: str, activation: str = "sigmoid",
                   prefix: str = "entry_") -> tuple[Callable[[], Derivation], ...]:
    """One builder per weight and bias of the concrete layer (6 weights, then 3 biases)."""
    _check_cost(cost, "entry_builders")
    weights = [_entry_builder(cost, "w", j, k, activation, prefix)
               for j in range(OUTPUTS) for k in range(INPUTS)]
    biases = [_entry_builder(cost, "b", j, 0, activation, prefix) for j in range(OUTPUTS)]
    return (*weights, *biases)


def _math(expr: sp.Expr) -> Math:
    """A SymPy expression as a table cell: SymPy's plain text and its LaTeX."""
    return Math(sp.sstr(expr), sp.latex(expr))


def entry_table(title: str, derivations: Sequence[Derivation]) -> Table:
    """One-step derivations as one table, a row ``∂C/∂p = claimed form ✓`` per parameter,
    and below it the number of steps checked."""
    rows = tuple((Math(d.lhs, d.lhs), Math("=", "="), _math(d.result),
                  Math(d.steps[-1].mark, CHECK if d.steps[-1].verdict.equal else CROSS))
                 for d in derivations)
    steps = [s for d in derivations for s in d.steps if s.verdict is not None]
    proved = sum(s.verdict.equal for s in steps)
    return Table((), rows, caption=title, notes=(f"{len(steps)} steps checked: {proved} ✓",),
                 align="rcll")


def every_entry(cost: str) -> Table:
    """Every weight and bias of the concrete sigmoid layer, for one cost."""
    title = {"quadratic": "Quadratic cost", "cross_entropy": "Cross-entropy cost"}[
        _check_cost(cost, "every_entry")]
    return entry_table(f"{title}: all 6 weights and 3 biases",
                       [build() for build in entry_builders(cost)])


DERIVATIONS = (
    quadratic_dC_da, quadratic_weight, quadratic_bias,
    functools.partial(averaged, "quadratic", "w"),
    cross_entropy_dC_da, cross_entropy_delta, cross_entropy_delta_one_output,
    cross_entropy_weight, cross_entropy_bias,
    functools.partial(averaged, "cross_entropy", "w"),
    *entry_builders("quadratic"), *entry_builders("cross_entropy"),
)


# --------------------------------------------------------------------------- numerics

SIZES = (4, 5, 3, 2)
SEED = 63


def random_batch(sizes: Sequence[int], m: int, seed: int,
                 targets: str = "unit") -> tuple[np.ndarray, np.ndarray]:
    """Inputs X (n_in, m) from N(0, 1) and targets Y (n_out, m).

    ``targets``: ``"unit"`` draws Y uniformly from [0, 1] with one column of 0s and 1s (the
    edge values); ``"normal"`` draws Y from N(0, 4), for linear outputs.
    """
    if targets not in ("unit", "normal"):
        raise ValueError(f"random_batch: argument 'targets' must be 'unit' or 'normal' "
                         f"(got {targets!r})")
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((sizes[0], m))
    if targets == "normal":
        return X, 2 * rng.standard_normal((sizes[-1], m))
    Y = rng.uniform(0, 1, (sizes[-1], m))
    Y[:, 0] = rng.integers(0, 2, sizes[-1])  # y at exactly 0 and 1
    return X, Y


def output_layer_formula(net: Network, X: np.ndarray, Y: np.ndarray,
                         cost: str) -> tuple[np.ndarray, np.ndarray]:
    """The claimed (∂C/∂wᴸ, ∂C/∂bᴸ) computed from the forward pass alone, no backprop.

    ∂C/∂w_jkᴸ = (1/m) Σ_x a_kᴸ⁻¹ e_j and ∂C/∂b_jᴸ = (1/m) Σ_x e_j, with e_j = (a_j − y_j) f′(z_j)
    for the quadratic cost (f′ = 1 for linear outputs) and e_j = a_j − y_j for the
    cross-entropy.
    """
    _check_cost(cost, "output_layer_formula")
    activations, zs = net.forward(X)
    error = activations[-1] - Y
    if cost == "quadratic" and net.output.name == "sigmoid":
        error = error * sigmoid_prime(zs[-1])
    m = X.shape[1]
    return np.einsum("jx,kx->jk", error, activations[-2]) / m, error.mean(axis=1, keepdims=True)


def output_layer_functions(net: Network, X: np.ndarray, Y: np.ndarray, cost: str
                           ) -> tuple[Callable[[np.ndarray], float],
                                      Callable[[np.ndarray], np.ndarray]]:
    """θᴸ ↦ C and θᴸ ↦ claimed gradient, θᴸ = (wᴸ row-major, bᴸ), for ``check_gradient``."""
    scratch = net.copy()
    shape = scratch.weights[-1].shape

    def put(theta: np.ndarray) -> None:
        scratch.weights[-1] = theta[: shape[0] * shape[1]].reshape(shape).copy()
        scratch.biases[-1] = theta[shape[0] * shape[1]:].reshape(shape[0], 1).copy()

    def cost_at(theta: np.ndarray) -> float:
        put(theta)
        return scratch.cost(X, Y)

    def formula_at(theta: np.ndarray) -> np.ndarray:
        put(theta)
        grad_w, grad_b = output_layer_formula(scratch, X, Y, cost)
        return np.concatenate([grad_w.ravel(), grad_b.ravel()])

    return cost_at, formula_at


def output_parameters(net: Network) -> np.ndarray:
    """The output layer's parameters as one vector, wᴸ row-major then bᴸ."""
    return np.concatenate([net.weights[-1].ravel(), net.biases[-1].ravel()])


def saturated_network(cost: str, z_out: Sequence[float] = (10.0, -10.0),
                      seed: int = SEED) -> tuple[Network, np.ndarray]:
    """A [4, 5, 3, 2] network and one input whose output weighted inputs are exactly ``z_out``.

    The output biases are set to zᴸ − wᴸ aᴸ⁻¹ for that input, so both output neurons sit
    far out on the flat parts of σ.
    """
    net = Network(list(SIZES), cost=cost, seed=seed)
    x = np.random.default_rng(seed + 1).standard_normal((SIZES[0], 1))
    hidden = net.forward(x)[0][-2]
    net.biases[-1] = np.asarray(z_out, dtype=float).reshape(-1, 1) - net.weights[-1] @ hidden
    return net, x


def _name(cost: str) -> str:
    return {"quadratic": "quadratic", "cross_entropy": "cross-entropy"}[cost]


def network_checks() -> CheckReport:
    """Backprop of a random [4, 5, 3, 2] network against central differences, both costs."""
    X, Y = random_batch(SIZES, 6, SEED)
    results = []
    for cost in COSTS:
        net = Network(list(SIZES), cost=cost, seed=SEED)
        f, grad = net.gradient_check_functions(X, Y)
        results.append(check_gradient(
            f, grad, net.flat_parameters(), tol=1e-6, h=1e-4, resolution=1e-7,
            name=f"{_name(cost)}: backprop, all {net.num_parameters} parameters"))
    return CheckReport(results)


def output_layer_checks() -> CheckReport:
    """The claimed output-layer forms against central differences, and δᴸ against the formula."""
    X, Y = random_batch(SIZES, 6, SEED)
    results = []
    for cost in COSTS:
        net = Network(list(SIZES), cost=cost, seed=SEED)
        f, formula = output_layer_functions(net, X, Y, cost)
        form = "(1/n) Σ_x a^(L-1)_k (a_j − y_j)" + (" σ′(z_j)" if cost == "quadratic" else "")
        results.append(check_gradient(f, formula, output_parameters(net), tol=1e-6,
                                      resolution=1e-8,
                                      name=f"{_name(cost)}: ∂C/∂w^L, ∂C/∂b^L = {form}"))
        activations, zs = net.forward(X)
        expected = activations[-1] - Y
        if cost == "quadratic":
            expected = expected * sigmoid_prime(zs[-1])
        # The network forms the cross-entropy's a − y without the cancellation of the
        # rounded a minus y (as −σ(−z) + (1 − y) for y ≥ ½), so the two agree to the
        # rounding of a, an absolute ~1e-16, not to a relative 1e-15 where a − y is small.
        kind = "absolute" if cost == "cross_entropy" else "relative"
        results.append(check_values(net.output_error(X, Y), expected, tol=1e-15, kind=kind,
                                    name=f"{_name(cost)}: network's δ^L against the formula"))
    return CheckReport(results)


def saturated_checks() -> CheckReport:
    """Output neurons at z = ±10, targets wrong and right: gradients against central differences.

    The quadratic gradient is of size σ′(10) ≈ 4.5e-5 while the cost is about 1, so the
    default step of 1e-6 leaves rounding noise of relative size ~1e-6 in the difference
    quotient; h = 3e-5 balances that noise against the truncation error (the cost curves
    like e^{−2z}), both near 1e-7. Backprop's gradient for the hidden layers is smaller
    again (about 1e-8), below what any step can resolve against a cost of 1; entries below
    ``floor`` = 1e-4 are compared in absolute terms (error ≤ 1e-10).
    """
    results = []
    for targets, label in (((0.0, 1.0), "wrong"), ((1.0, 0.0), "right")):
        y = np.array(targets).reshape(-1, 1)
        for cost in COSTS:
            net, x = saturated_network(cost)
            f, formula = output_layer_functions(net, x, y, cost)
            results.append(check_gradient(
                f, formula, output_parameters(net), tol=1e-6, h=3e-5,
                name=f"{_name(cost)}, z^L = (10, −10), targets {label}: claimed ∂C/∂w^L, ∂C/∂b^L"))
            f, grad = net.gradient_check_functions(x, y)
            results.append(check_gradient(
                f, grad, net.flat_parameters(), tol=1e-6, h=1e-4, floor=1e-4,
                name=f"{_name(cost)}, z^L = (10, −10), targets {label}: backprop, all layers"))
    return CheckReport(results)


def saturation_table() -> Table:
    """|∂C/∂b_jᴸ| and the largest |∂C/∂w_jkᴸ| at z = ±10, quadratic against cross-entropy."""
    rows = []
    for targets, label in (((0.0, 1.0), "wrong"), ((1.0, 0.0), "right")):
        y = np.array(targets).reshape(-1, 1)
        grads = {}
        for cost in COSTS:
            net, x = saturated_network(cost)
            grads[cost] = net.backprop(x, y)
        a = net.feedforward(x)
        for j in range(2):
            rows.append((label, f"{j + 1}", f"{(10.0, -10.0)[j]:+.0f}", f"{targets[j]:.0f}",
                         fixed(a[j, 0], 6),
                         *(scientific(abs(grads[c][1][-1][j, 0])) for c in COSTS),
                         *(scientific(np.abs(grads[c][0][-1][j]).max()) for c in COSTS)))
    return Table(("targets", "j", "z_j", "y_j", "a_j", "|∂C/∂b_j| quad", "|∂C/∂b_j| CE",
                  "max|∂C/∂w_jk| quad", "max|∂C/∂w_jk| CE"), tuple(rows))


CHECKS = (network_checks, output_layer_checks, saturated_checks)
