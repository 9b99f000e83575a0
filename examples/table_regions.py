"""Seed example: rows of one table referring to rows of another (DynamicTableRegion)."""

from hdmf_arrow.common import DynamicTable, DynamicTableRegion

# Create source table
neurons_table = DynamicTable(
    name="neurons",
    description="Information about recorded neurons",
)
neurons_table.add_column("neuron_id", "Unique neuron identifier")
neurons_table.add_column("brain_area", "Brain area location")
neurons_table.add_column("cell_type", "Cell type classification")

# Add neurons
for i in range(10):
    neurons_table.add_row(
        neuron_id=f"neuron_{i:03d}",
        brain_area="CA1" if i < 5 else "CA3",
        cell_type="pyramidal" if i % 2 == 0 else "interneuron",
    )

# Create region referencing subset of neurons
ca1_neurons = DynamicTableRegion(
    name="ca1_neurons",
    data=[0, 1, 2, 3, 4],  # Row indices for CA1 neurons
    description="Neurons recorded from CA1 region",
    table=neurons_table,
)

# Access referenced data
referenced_neurons = ca1_neurons[:]
print(f"CA1 neurons: {len(referenced_neurons)} neurons")

# Use region in analysis table. hdmf raises here; in hdmf-arrow a region given as a cell is a
# ragged region cell: the rows it selects, in its table.
analysis_table = DynamicTable(
    name="spike_analysis",
    description="Spike analysis results",
)
analysis_table.add_column("neurons", "Analyzed neurons", data=[ca1_neurons])
analysis_table.add_column("firing_rate", "Average firing rate")
analysis_table.add_row(neurons=ca1_neurons, firing_rate=15.3)

print(analysis_table.to_dataframe(index=True))
first = analysis_table["neurons"][0]  # the referenced rows, as a DataFrame
print(f"Row 0 refers to {list(first['neuron_id'])}")
