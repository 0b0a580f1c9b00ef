// swift-tools-version: 6.0
// A package that uses Tangent as any other package would (by path here; by URL elsewhere, as
// the README shows). `swift run -c release consumer-bench` against `swift run consumer-bench`
// measures how much slower a debug build of a dependent package is (the README's figures).
import Foundation
import PackageDescription

// A path dependency's identity is its directory's name, which depends on the clone.
let root = URL(fileURLWithPath: Context.packageDirectory).deletingLastPathComponent().deletingLastPathComponent()

let package = Package(
  name: "consumer-bench",
  dependencies: [.package(path: root.path)],
  targets: [
    .executableTarget(
      name: "consumer-bench",
      dependencies: [.product(name: "Tangent", package: root.lastPathComponent.lowercased())]),
  ]
)
