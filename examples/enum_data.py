"""Seed example: categorical data with a controlled vocabulary (EnumData)."""

from hdmf_arrow.common import EnumData

# Create enumeration for behavioral states
behavior_states = EnumData(
    name="behavior_states",
    description="Behavioral state classifications",
    data=[0, 1, 2, 1, 0, 2, 1],  # Indices into elements
    elements=["rest", "locomotion", "grooming"],
)

# Access enumerated values
print(f"Behavior elements: {behavior_states.elements}")
print(f"Behavior data: {behavior_states.data}")

# Could also use string data directly
string_behavior = EnumData(
    name="string_behavior",
    description="String-based behavioral states",
    data=["rest", "locomotion", "grooming", "locomotion"],
    elements=["rest", "locomotion", "grooming"],
)
print(f"String behavior: {string_behavior.data}")
print(f"As values: {list(string_behavior[:])}")
