"""Seed example: a sparse connectivity matrix (CSRMatrix), from scipy and back."""

import numpy as np
from scipy import sparse

from hdmf_arrow.common import CSRMatrix

# Create sparse data
row = np.array([0, 0, 1, 2, 2, 2])
col = np.array([0, 2, 1, 0, 1, 2])
data = np.array([1, 2, 3, 4, 5, 6])

# Create scipy sparse matrix
scipy_matrix = sparse.csr_matrix((data, (row, col)), shape=(3, 3))

# Convert to HDMF CSRMatrix
hdmf_matrix = CSRMatrix.from_scipy_sparse(
    scipy_matrix,
    name="connectivity_matrix",
    description="Neural connectivity matrix",
)

print(f"Matrix shape: {hdmf_matrix.shape}")
print(f"Non-zero elements: {hdmf_matrix.nnz}")

# Convert back to dense for visualization
dense_matrix = hdmf_matrix.to_dense()
print("Dense representation:")
print(dense_matrix)

# hdmf-arrow keeps it as an Arrow table: one row per matrix row
rows = hdmf_matrix.to_arrow()
print(f"As Arrow: {rows.num_rows} rows, indices {rows.column('indices').to_pylist()}")
