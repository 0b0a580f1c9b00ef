// swift-tools-version: 6.0
import PackageDescription

let package = Package(
  name: "Tangent",
  platforms: [.macOS(.v14)],
  products: [
    .library(name: "Tangent", targets: ["Tangent"]),
    .library(name: "TangentTesting", targets: ["TangentTesting"]),
    .executable(name: "tangent", targets: ["tangent"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-numerics", from: "1.1.1"),
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    // `make docs`: `swift package generate-documentation` (a command plugin, not linked).
    .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.4.0"),
  ],
  targets: [
    // MARK: Implementation details
    /// The C interfaces of BLAS and LAPACKE. Their s/d/c/z names are called only from the
    /// conformances of `BLASScalar` (Kernels/GEMM.swift) and `LAPACKScalar`
    /// (Kernels/LAPACKScalar.swift); every kernel above them is generic.
    .systemLibrary(
      name: "CLapack",
      path: "Sources/CLapack",
      providers: [.apt(["libopenblas-dev", "liblapacke-dev"])]
    ),
    /// The only place where SuperLU's s/d/c/z names appear (sparse LU, BSD-3).
    .systemLibrary(
      name: "CSuperLU",
      path: "Sources/CSuperLU",
      providers: [.apt(["libsuperlu-dev"])]
    ),

    /// The vector math kernels (exp, log, tanh, sin, …: one C implementation each, for
    /// double and float) and the elementwise loops that call them, compiled for several
    /// instruction sets and chosen at load time (`target_clones`), so that a plain
    /// `swift build -c release` runs AVX-512 or AVX2 code on CPUs that have it. Plain C: no
    /// flags, so Tangent stays usable as a dependency.
    .target(name: "CKernels", path: "Sources/CKernels"),

    // MARK: Public API
    .target(
      name: "Tangent",
      dependencies: [
        "CKernels",
        "CLapack",
        "CSuperLU",
        .product(name: "Numerics", package: "swift-numerics"),
      ]
    ),
    .target(name: "TangentTesting", dependencies: ["Tangent"]),
    .executableTarget(
      name: "tangent",
      dependencies: [
        "Tangent", "TangentTesting",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),

    // MARK: Unit test bundles
    .testTarget(name: "TangentTests", dependencies: ["Tangent", "TangentTesting"]),
  ],
  swiftLanguageModes: [.v6]
)
