"""Every notebook reproduces its stored outputs on an emulated AVX2 CPU (see cpu_settings)."""

from tests.cpu_settings import check_setting


def test_notebooks_reproduce_their_outputs_on_an_avx2_cpu():
    check_setting("avx2")
