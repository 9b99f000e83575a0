"""Seed example: ragged data (spike trains) as VectorData + VectorIndex."""

from hdmf_arrow.common import VectorData, VectorIndex

# Create ragged data (variable-length spike trains)
spike_data = [
    [0.1, 0.3, 0.7, 1.2],  # Trial 1: 4 spikes
    [0.2, 0.8],  # Trial 2: 2 spikes
    [0.05, 0.4, 0.6, 0.9, 1.1],  # Trial 3: 5 spikes
]

# Flatten data and create cumulative indices
flattened_spikes = []
indices = []
for trial_spikes in spike_data:
    flattened_spikes.extend(trial_spikes)
    indices.append(len(flattened_spikes))

# Create VectorData and VectorIndex
spike_times = VectorData(
    name="spike_times",
    description="Spike timestamps in seconds",
    data=flattened_spikes,
)

spike_index = VectorIndex(
    name="spike_times_index",
    data=indices,
    target=spike_times,
)

# Access ragged data by trial
trial_0_spikes = spike_index[0]  # [0.1, 0.3, 0.7, 1.2]
trial_1_spikes = spike_index[1]  # [0.2, 0.8]
trial_2_spikes = spike_index[2]  # [0.05, 0.4, 0.6, 0.9, 1.1]

print(f"Trial 0 spikes: {trial_0_spikes}")
print(f"Trial 1 spikes: {trial_1_spikes}")

# In Arrow, index and data are one list<double> column; its offsets are the index.
arrow = spike_index.to_arrow()
print(f"As Arrow: {arrow.type}, offsets {arrow.offsets.to_pylist()}")
