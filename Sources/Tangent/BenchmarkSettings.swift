/// Switches for benchmarks, which time the library's alternative code paths in one binary.
///
/// Not part of the API: visible only to `@_spi(Benchmarks) import Tangent` (the `tangent`
/// command-line tool's `bench` commands). The library reads no environment variables.
@_spi(Benchmarks) public enum BenchmarkSettings {
  /// Whether the collapsed Taylor pass (Laplacians, biharmonics) runs an elementwise op's
  /// d-wide steps as one fused kernel (`true`, the default) or as separate tensor ops, the form
  /// the fused kernel replaced (`false`, for comparison: `tangent bench laplacian --unfused`).
  /// Set it before the timed work starts; it applies to every thread.
  public static var taylorFusesElementwise: Bool {
    get { TaylorMode.fusedElementwise.load(ordering: .relaxed) }
    set { TaylorMode.fusedElementwise.store(newValue, ordering: .relaxed) }
  }

  /// Whether a backward pass with chunked cotangents runs a rule that does not take them once,
  /// mapped over the chunk with `vmap` (`true`, the default), or once per chunk member, the
  /// form it replaced (`false`, for comparison: `tangent bench autodiff` times both).
  public static var mapsRulesOverChunks: Bool {
    get { GradNode.mapsRulesOverChunks.load(ordering: .relaxed) }
    set { GradNode.mapsRulesOverChunks.store(newValue, ordering: .relaxed) }
  }
}
