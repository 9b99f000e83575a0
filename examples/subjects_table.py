"""Seed example: a DynamicTable of subjects, built row by row, read as a DataFrame."""

from hdmf_arrow.common import DynamicTable

# Create dynamic table
subjects_table = DynamicTable(
    name="subjects",
    description="Information about experimental subjects",
)

# Add columns
subjects_table.add_column("subject_id", "Unique subject identifier")
subjects_table.add_column("age", "Age in months", dtype="int")
subjects_table.add_column("weight", "Weight in grams", dtype="float")
subjects_table.add_column("genotype", "Genetic background")

# Add rows
subjects_table.add_row(subject_id="mouse_001", age=8, weight=25.3, genotype="WT")
subjects_table.add_row(subject_id="mouse_002", age=10, weight=27.1, genotype="KO")
subjects_table.add_row(subject_id="mouse_003", age=9, weight=24.8, genotype="WT")

# Access data
print(f"Table has {len(subjects_table)} rows")
print(f"Columns: {subjects_table.colnames}")

# Convert to DataFrame
df = subjects_table.to_dataframe()
print(df.head())

# Access specific columns
ages = subjects_table.get_column("age").data
print(f"Ages: {ages}")
