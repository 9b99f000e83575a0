"""Seed example: behavioural and neural data aligned row by row (AlignedDynamicTable)."""

import tempfile

import hdmf_arrow
from hdmf_arrow import ParquetIO
from hdmf_arrow.common import AlignedDynamicTable

# Create aligned table for multi-modal data
session_data = AlignedDynamicTable(
    name="session_data",
    description="Aligned behavioral and neural data",
)

# Add main columns
session_data.add_column("timestamp", "Time in seconds", dtype="float")
session_data.add_column("behavior", "Behavioral state")

# Add category table for neural data
session_data.add_category_table(
    name="neural",
    description="Neural recording data",
)
neural_table = session_data.get_category_table("neural")
neural_table.add_column("spike_count", "Number of spikes", dtype="int")
neural_table.add_column("lfp_power", "LFP power", dtype="float")

# Add category table for stimulus data
session_data.add_category_table(
    name="stimulus",
    description="Stimulus presentation data",
)
stimulus_table = session_data.get_category_table("stimulus")
stimulus_table.add_column("stimulus_type", "Type of stimulus")
stimulus_table.add_column("intensity", "Stimulus intensity", dtype="float")

# Add synchronized data
session_data.add_row(
    timestamp=1.0,
    behavior="running",
    neural={"spike_count": 5, "lfp_power": 0.23},
    stimulus={"stimulus_type": "visual", "intensity": 0.8},
)

print(f"Session data columns: {session_data.colnames}")
print(f"Neural category columns: {neural_table.colnames}")

# All three tables side by side, under two-level column labels
frame = session_data.to_dataframe()
print(f"Row 0: {frame.iloc[0].to_dict()}")

# Through the store: written, read back (columns load when first used), appended across
# categories in mode "a", and read again
with tempfile.TemporaryDirectory() as tmp:
    store = f"{tmp}/session.hdmf"
    hdmf_arrow.write(session_data, store)
    with ParquetIO(store, mode="a") as io:
        stored = io.read()
        stored.add_row(
            timestamp=2.0,
            behavior="resting",
            neural={"spike_count": 1, "lfp_power": 0.05},
            stimulus={"stimulus_type": "none", "intensity": 0.0},
        )
        io.write(stored)
    again = hdmf_arrow.read(store)
    print(f"From the store: {len(again)} rows, categories {again.categories}")
    print(f"Spike counts: {again.get_category_table('neural')['spike_count'].data.tolist()}")
