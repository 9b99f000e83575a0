"""An extension from spec to store: define a table type in the schema language, load it,
get its class, customise it, write it with get_manager(), read it back and validate it.

Run it with ``python examples/extension_workflow.py``.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np

import hdmf_arrow
from hdmf_arrow.common import (
    ObjectMapper,
    get_class,
    get_manager,
    load_namespaces,
    register_class,
    register_map,
)
from hdmf_arrow.spec import AttributeSpec, DatasetSpec, GroupSpec, NamespaceBuilder

work = Path(tempfile.mkdtemp())

# 1. The extension, in HDMF's schema language (what ndx-* packages ship as YAML).
ns = NamespaceBuilder(
    doc="Trials with a stimulus", name="ndx-trials-demo", full_name="trials demo",
    version="0.1.0", author="Ada", contact="ada@example.org",
)  # fmt: skip
ns.include_namespace("hdmf-common")
ns.add_spec(
    "ndx-trials-demo.extensions.yaml",
    GroupSpec(
        doc="A table of trials",
        data_type_def="StimTrials",
        data_type_inc="DynamicTable",
        attributes=[AttributeSpec(name="stimulus_type", doc="what was shown", dtype="text")],
        datasets=[
            DatasetSpec(doc="start (s)", name="start", data_type_inc="VectorData", dtype="float"),
            DatasetSpec(doc="cues", name="cues", data_type_inc="VectorData", dtype="text",
                        quantity="?"),
            DatasetSpec(doc="cue index", name="cues_index", data_type_inc="VectorIndex",
                        quantity="?"),
        ],
    ),
)  # fmt: skip
ns.export("ndx-trials-demo.namespace.yaml", outdir=work)
print(load_namespaces(work / "ndx-trials-demo.namespace.yaml"))

# 2. get_class builds the class from the spec: required and optional (ragged) columns.
Generated = get_class("StimTrials", "ndx-trials-demo")
print(f"generated: {Generated.__name__}({Generated.__mro__[1].__name__}), "
      f"columns {[c['name'] for c in Generated.__columns__]}")  # fmt: skip


# 3. Subclass it, register the subclass for the type, and map a field whose Python name
#    differs from the spec attribute: register_map with an ObjectMapper.
@register_class("StimTrials", "ndx-trials-demo")
class StimTrials(Generated):  # type: ignore[misc, valid-type]
    stim: str | None = None

    def durations(self) -> list[float]:
        return np.diff(self["start"].data).tolist()


@register_map(StimTrials)
class StimTrialsMapper(ObjectMapper):
    fields = {"stimulus_type": "stim"}  # noqa: RUF012 - spec attribute -> Python field


trials = StimTrials(name="trials", description="three trials")
trials.stim = "gratings"
trials.add_row(start=0.0, cues=["left"])
trials.add_row(start=1.5, cues=["right", "left"])
trials.add_row(start=4.0, cues=[])

# 4. Write with the manager (it carries the type map: the store caches the namespace), read it
#    back (the class and the mapped field come back), and validate it against the spec.
store = work / "session.hdmf"
with hdmf_arrow.ParquetIO(store, mode="w", manager=get_manager()) as io:
    io.write(trials)
back = hdmf_arrow.read(store)
print(f"read back: {type(back).__name__}, stim={back.stim!r}, durations={back.durations()}")
print(f"cached specs: {sorted(p.name for p in (store / '_hdmf' / 'specs').iterdir())}")
print(f"validate: {hdmf_arrow.validate(store)}")
back.stim = None
print(f"without its attribute: {[str(i) for i in hdmf_arrow.validate(back)]}")
