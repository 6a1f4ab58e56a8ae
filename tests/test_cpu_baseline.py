"""Every notebook reproduces its stored outputs on an emulated old x86-64 (see cpu_settings)."""

from tests.cpu_settings import check_setting


def test_notebooks_reproduce_their_outputs_on_a_baseline_cpu():
    check_setting("baseline")
