// Sparse matrices, colourings and sparse direct solves: the foundations of sparse Jacobians
// and Hessians (issue 11).
//
// - SparsityPattern.swift: where the nonzeros are (CSR), named patterns, transpose, union.
// - SparseMatrix.swift: CSR values over a pattern; dense and COO conversion, products, printing.
// - SpyPlot.swift: the SVG spy plot of a pattern, coloured by a colouring.
// - ColoringProblem.swift, Coloring.swift: which colouring, and the entry point
//   `SparsityPattern.coloring(_:algorithm:)` with the public validity check.
// - ColoringGraph.swift, VertexOrder.swift, GreedyColoring.swift: the graphs, vertex orders
//   and greedy rules (distance-1, star, acyclic).
// - ColoringResult.swift: seeds (compression) and decompression, direct or by substitution.
// - SparseLU.swift: the `SparseLUFactorization` protocol and SuperLU behind it (CSuperLU shim).
//
// - Detection/: sparsity detection by index-set propagation through the engine
//   (`jacobianSparsity`, `hessianSparsity`); the rules ops declare (`SparsityRule`).
// - Evaluation/: prepared sparse Jacobians and Hessians (`PreparedSparseJacobian`,
//   `PreparedSparseHessian`, `sparseJacobian`, `sparseHessian`) by compressed chunked passes.
