"""`make bench` never dies: a benchmark that cannot run is one line, the summary still prints."""

from __future__ import annotations

import benchmarks.__main__ as bench


def test_a_benchmark_that_cannot_run_is_reported_and_the_rest_still_run(monkeypatch, capsys):
    ran = []

    def broken():
        raise RuntimeError("the notebooks do not pass nbval (1 failed); run `make test`\nmore")

    def passing():
        ran.append("passing")
        return True

    monkeypatch.setattr(bench, "BENCHMARKS", {"nbval suite": broken, "softmax": passing,
                                              "browser latency": lambda: False})
    assert bench.main() == 1
    out = capsys.readouterr().out
    assert ran == ["passing"]
    assert ("nbval suite: could not run (RuntimeError: the notebooks do not pass nbval "
            "(1 failed); run `make test`)\n") in out
    assert "more" not in out  # one line, not a traceback
    assert out.rstrip().endswith("some targets missed (see above): browser latency\n"
                                 "could not run: nbval suite")


def test_all_targets_met(monkeypatch, capsys):
    monkeypatch.setattr(bench, "BENCHMARKS", {"softmax": lambda: True})
    assert bench.main() == 0
    assert capsys.readouterr().out.rstrip().endswith("all targets met")


def test_words_pick_the_benchmarks_to_run(monkeypatch, capsys):
    ran = []
    monkeypatch.setattr(bench, "BENCHMARKS", {
        name: (lambda name=name: ran.append(name) or True)
        for name in ("softmax", "your turn", "your turn, slips named")})
    assert bench.main(["your turn"]) == 0
    assert ran == ["your turn", "your turn, slips named"]
    assert bench.main(["no such"]) == 2
    assert "the benchmarks: softmax, your turn, your turn, slips named" in capsys.readouterr().out
