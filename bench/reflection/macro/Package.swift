// swift-tools-version: 6.0
import PackageDescription
import CompilerPluginSupport
let package = Package(
  name: "macroproto",
  products: [.executable(name: "treeuse", targets: ["TreeUse"])],
  dependencies: [.package(url: "https://github.com/swiftlang/swift-syntax", exact: "603.0.1")],
  targets: [
    .macro(name: "TreeMacros", dependencies: [
      .product(name: "SwiftSyntaxMacros", package: "swift-syntax"),
      .product(name: "SwiftCompilerPlugin", package: "swift-syntax"),
    ]),
    .target(name: "TreeLib", dependencies: ["TreeMacros"]),
    .executableTarget(name: "TreeUse", dependencies: ["TreeLib"]),
  ])
