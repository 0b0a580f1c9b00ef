public protocol Listed { static var paths: [PartialKeyPath<Self>] { get } }
@attached(extension, conformances: Listed, names: named(paths))
public macro Tree() = #externalMacro(module: "TreeMacros", type: "TreeMacro")
