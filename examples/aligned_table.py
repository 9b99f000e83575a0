"""Seed example: behavioural and neural data aligned row by row (AlignedDynamicTable)."""

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
