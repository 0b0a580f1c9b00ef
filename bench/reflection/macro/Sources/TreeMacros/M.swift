import SwiftCompilerPlugin
import SwiftSyntax
import SwiftSyntaxMacros
public struct TreeMacro: ExtensionMacro {
  public static func expansion(of node: AttributeSyntax, attachedTo declaration: some DeclGroupSyntax,
    providingExtensionsOf type: some TypeSyntaxProtocol, conformingTo protocols: [TypeSyntax],
    in context: some MacroExpansionContext) throws -> [ExtensionDeclSyntax] {
    let names = declaration.memberBlock.members.compactMap { $0.decl.as(VariableDeclSyntax.self) }
      .flatMap { $0.bindings.compactMap { $0.pattern.as(IdentifierPatternSyntax.self)?.identifier.text } }
    let list = names.map { "\\.\($0)" }.joined(separator: ", ")
    return [try ExtensionDeclSyntax("extension \(type.trimmed): Listed { static var paths: [PartialKeyPath<\(type.trimmed)>] { [\(raw: list)] } }")]
  }
}
@main struct Plugin: CompilerPlugin { let providingMacros: [Macro.Type] = [TreeMacro.self] }
