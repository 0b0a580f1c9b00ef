/// What a colouring is for: which matrix (a Jacobian, or a symmetric Hessian) and which
/// products recover it (forward `J S`, reverse `Sᵀ J`, or both).
public enum ColoringProblem: String, Sendable, CaseIterable {
  /// Columns of a Jacobian that share no row get one colour (a partial distance-2 colouring of
  /// the bipartite graph): `J` is recovered from the forward products `B = J S`, one JVP per
  /// colour.
  case column
  /// Rows that share no column get one colour: `J` is recovered from the reverse products
  /// `B = Sᵀ J`, one VJP per colour.
  case row
  /// Whichever of ``column`` and ``row`` needs fewer colours (``column`` on a tie, since JVPs
  /// are cheaper).
  case jacobian
  /// A star colouring of a symmetric pattern: the Hessian is recovered directly (each entry is
  /// one entry of `B = H S`).
  case star
  /// An acyclic colouring of a symmetric pattern: fewer colours than ``star``; the Hessian is
  /// recovered from `B = H S` by substitution (peeling the leaves of two-coloured trees).
  case acyclic
  /// A star bicolouring of a Jacobian: some columns and some rows get colours, and `J` is
  /// recovered from both `J S_c` and `S_rᵀ J`. A Jacobian with dense rows and dense columns
  /// (an arrowhead) needs `n` colours either way alone but about 3 here.
  case bidirectional
}
