"""Every script in examples/ runs, and prints what the seed documents say it prints."""

from __future__ import annotations

import runpy
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).parent.parent / "examples"


def run(name: str, capsys: pytest.CaptureFixture[str]) -> str:
    runpy.run_path(str(EXAMPLES / name), run_name="__main__")
    return capsys.readouterr().out


def test_every_example_is_tested() -> None:
    tested = {"subjects_table.py", "ragged_spike_times.py", "table_regions.py", "enum_data.py"}
    tested |= {"demo.py", "extension_workflow.py"}
    tested |= {"spec_extension.py", "sparse_matrix.py", "aligned_table.py"}
    tested |= {"herd.py"}  # run in tests/test_herd.py
    assert {p.name for p in EXAMPLES.glob("*.py")} == tested


def test_subjects_table(capsys: pytest.CaptureFixture[str]) -> None:
    out = run("subjects_table.py", capsys)
    assert "Table has 3 rows" in out
    assert "Columns: ('subject_id', 'age', 'weight', 'genotype')" in out
    assert "Ages: [ 8 10  9]" in out
    lines = out.splitlines()
    assert lines[4].split() == ["0", "mouse_001", "8", "25.3", "WT"]
    assert lines[6].split() == ["2", "mouse_003", "9", "24.8", "WT"]


def test_ragged_spike_times(capsys: pytest.CaptureFixture[str]) -> None:
    out = run("ragged_spike_times.py", capsys)
    assert "Trial 0 spikes: [0.1, 0.3, 0.7, 1.2]" in out
    assert "Trial 1 spikes: [0.2, 0.8]" in out
    assert "As Arrow: list<item: double>, offsets [0, 4, 6, 11]" in out


def test_table_regions(capsys: pytest.CaptureFixture[str]) -> None:
    out = run("table_regions.py", capsys)
    assert "CA1 neurons: 5 neurons" in out
    assert "0   [0, 1, 2, 3, 4]          NaN" in out
    assert "1   [0, 1, 2, 3, 4]         15.3" in out
    assert "Row 0 refers to ['neuron_000', 'neuron_001', 'neuron_002', 'neuron_003'," in out


def test_enum_data(capsys: pytest.CaptureFixture[str]) -> None:
    out = run("enum_data.py", capsys)
    assert "Behavior elements: ('rest', 'locomotion', 'grooming')" in out
    assert "Behavior data: [0 1 2 1 0 2 1]" in out
    assert "String behavior: [0 1 2 1]" in out
    assert "As values: ['rest', 'locomotion', 'grooming', 'locomotion']" in out


def test_sparse_matrix(capsys: pytest.CaptureFixture[str]) -> None:
    out = run("sparse_matrix.py", capsys)
    assert "Matrix shape: (3, 3)" in out
    assert "Non-zero elements: 6" in out
    assert "Dense representation:\n[[1 0 2]\n [0 3 0]\n [4 5 6]]" in out
    assert "As Arrow: 3 rows, indices [[0, 2], [1], [0, 1, 2]]" in out


def test_aligned_table(capsys: pytest.CaptureFixture[str]) -> None:
    out = run("aligned_table.py", capsys)
    assert "Session data columns: ('timestamp', 'behavior')" in out
    assert "Neural category columns: ('spike_count', 'lfp_power')" in out
    assert "('neural', 'spike_count'): 5" in out
    assert "('stimulus', 'stimulus_type'): 'visual'" in out
    assert "From the store: 2 rows, categories ['neural', 'stimulus']" in out
    assert "Spike counts: [5, 1]" in out


def test_demo(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    demo = runpy.run_path(str(EXAMPLES / "demo.py"), run_name="demo")
    store = tmp_path / "demo.hdmf"
    demo["main"](str(store))
    out = capsys.readouterr().out
    for name in ("subjects_table.py", "ragged_spike_times.py", "table_regions.py"):
        assert f"=== seed example: {name} ===" in out
    assert "DynamicTable 'units' (8 rows x 3 columns)" in out
    assert f"store {store}, version 1 of 1" in out
    assert "electrode: int64  (-> electrodes)" in out
    assert "reopened version 1: 8 units" in out
    assert "shape: (7, 3)" in out  # the polars query: good units only
    assert "units: 2 files, electrodes: 2 files" in out  # after the append
    assert "│ CA1      │     2 │     38 │" in out  # the DuckDB join over the region column
    assert "the join agrees with to_dataframe()'s region cells" in out
    assert "│ DG       ┆ 6     ┆ 121    │" in out  # three sessions scanned as one
    demo["main"](str(store))  # a second run adds versions
    assert "version 3 of 3" in capsys.readouterr().out


def test_spec_extension(capsys: pytest.CaptureFixture[str]) -> None:
    out = run("spec_extension.py", capsys)
    assert "MyType: A custom data type; dataset 'data' of dtype 'float'" in out
    assert "Wrote my_extension.yaml, my_extension.namespace.yaml" in out
    assert "Loaded namespaces: ['my_extension']" in out
    assert "My Custom Extension 0.1.0: types ('MyType',)" in out
    assert "Round trip equal: True" in out
    assert "Table 'example_table': 1 row(s), columns ('column1',)" in out
    assert "column1: ['example data']" in out


def test_extension_workflow(capsys: pytest.CaptureFixture[str]) -> None:
    out = run("extension_workflow.py", capsys)
    assert "generated: StimTrials(DynamicTable), columns ['start', 'cues']" in out
    assert "read back: StimTrials, stim='gratings', durations=[1.5, 2.5]" in out
    assert "cached specs: ['hdmf-common', 'ndx-trials-demo']" in out
    assert "validate: []" in out
    assert "required attribute 'stimulus_type' is missing" in out
