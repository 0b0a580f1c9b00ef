@_spi(Reflection) import Swift
import Synchronization

// Conformance without hand-listed key paths: a struct is a TensorTree by declaring it.
//
// `TensorTree`'s two requirements have default implementations that find the struct's stored
// fields by reflection, once per type: the standard library's `_forEachFieldWithKeyPath`
// (SPI `Reflection`) yields a key path for every stored field, which is kept when the field's
// type is `Tensor` or another `TensorTree` (nested structs, arrays, `[String: _]`
// dictionaries) and rejected with a message otherwise. The table of fields is cached per type,
// so a call costs one locked dictionary lookup plus one in-place read or write per field
// (at the field's offset, as a stored property's key path does).
//
// Why reflection rather than a macro (`@TensorTree struct MLP`): measured on this project's
// 2-core machine (2026-12-07, loaded), a package with one swift-syntax 603 macro took 271 s
// (131 s of CPU) to build clean in debug and 1,647 s (552 s of CPU) with `-c release`
// (swift-syntax builds in the package's configuration, and `make test` builds both), on top of
// a CI run already at about 13 of its 20 minutes; reflection costs no build time, works the
// same in debug and release (bench/reflection/run.sh checks both), handles generic structs,
// and asks nothing of a user but the conformance. A macro would catch an unsupported field at
// compile time; reflection stops on first use, with a message naming the type, the field and
// its type.

/// A stored field of a struct that the default (reflected) ``TensorTree`` conformance leaves
/// out: a field that is not a parameter, such as a size or an activation's name, like
/// Equinox's `field(static=True)`.
///
/// ```swift
/// struct Layer: TensorTree {
///   var weight: Tensor
///   var bias: Tensor
///   @TreeStatic var activation = "tanh"   // not a leaf
/// }
/// ```
@propertyWrapper
public struct TreeStatic<Value> {
  /// The field's value.
  public var wrappedValue: Value

  /// Wraps a value.
  public init(wrappedValue: Value) { self.wrappedValue = wrappedValue }
}

extension TreeStatic: Sendable where Value: Sendable {}

/// Marks the storage of `@TreeStatic` fields for the reflection that skips them.
protocol TreeStaticField {}
extension TreeStatic: TreeStaticField {}

extension TensorTree {
  /// The tensors of a struct's stored fields, in declaration order, found by reflection (the
  /// default conformance): a `Tensor` field is one leaf; a field of another ``TensorTree``
  /// type (a nested struct, an array, a `[String: _]` dictionary) contributes its leaves;
  /// `@TreeStatic` fields are skipped.
  ///
  /// ```swift
  /// struct Layer: TensorTree { var weight: Tensor; var bias: Tensor }
  /// struct MLP: TensorTree { var hidden: Layer; var output: Layer; var extra: [Tensor] }
  /// ```
  /// - Precondition: `Self` is a struct whose stored fields (`var` or `let`) are of
  ///   ``TensorTree`` types or `@TreeStatic`; anything else (an `Optional`, an `Int`, a
  ///   class) stops with a message naming the type and the field.
  /// - Complexity: O(fields + leaves); the field table is built once per type.
  ///
  /// Why reflection rather than a `@TensorTree` macro: a macro needs swift-syntax, which
  /// adds minutes to every clean build in both configurations `make test` runs (measured in
  /// the README's *Structured values* section), while reflection costs no build time, works
  /// the same in debug and release, handles generic structs and needs nothing from the user
  /// but the conformance. What a macro would add is finding an unsupported field at compile
  /// time; reflection finds it on first use, with a message naming the type and the field.
  public var leaves: [Tensor] {
    let fields = ReflectedFields<Self>.fields(of: self)
    var out: [Tensor] = []
    withUnsafeBytes(of: self) { raw in
      for field in fields { field.append(raw.baseAddress!, &out) }
    }
    return out
  }

  /// A copy with the tensors of its stored fields replaced in the order of ``leaves`` (the
  /// default, reflected conformance; see ``leaves``).
  public func replacingLeaves(_ leaves: inout ArraySlice<Tensor>) -> Self {
    let fields = ReflectedFields<Self>.fields(of: self)
    var copy = self
    withUnsafeMutableBytes(of: &copy) { raw in
      for field in fields { field.replace(raw.baseAddress!, &leaves) }
    }
    return copy
  }
}

/// The reflected fields of one struct type, built once and cached.
final class ReflectedFields<Root>: ReflectedFieldsBase, @unchecked Sendable {
  /// One stored field's access, given the address of a `Root` value.
  struct Field {
    /// Appends the field's leaves.
    let append: (UnsafeRawPointer, inout [Tensor]) -> Void
    /// Replaces the field's leaves with the next ones.
    let replace: (UnsafeMutableRawPointer, inout ArraySlice<Tensor>) -> Void
  }

  let fields: [Field]

  init(fields: [Field]) { self.fields = fields }

  /// The fields of `Root`, from the cache or reflected now (`value` is used only to check
  /// that `Root` is a struct).
  static func fields(of value: Root) -> [Field] {
    let id = ObjectIdentifier(Root.self)
    if let cached = reflectedFieldsCache.withLock({ $0[id] }) {
      return unsafeDowncast(cached, to: ReflectedFields<Root>.self).fields
    }
    let table = ReflectedFields(fields: reflect(value))
    reflectedFieldsCache.withLock { $0[id] = table }
    return table.fields
  }

  /// Builds the field table, stopping on a field it cannot handle.
  static func reflect(_ value: Root) -> [Field] {
    let style = Mirror(reflecting: value).displayStyle
    guard style == .struct else {
      misuse(
        "TensorTree: \(Root.self) is \(style.map { "a \($0)" } ?? "not a struct"); the default conformance reflects the stored fields of a struct. Implement leaves and replacingLeaves(_:), or list the tensors with KeyPathTensorTree")
    }
    var fields: [Field] = []
    _ = _forEachFieldWithKeyPath(of: Root.self) { cName, path in
      let name = String(cString: cName)
      let valueType = type(of: path).valueType
      if valueType is any TreeStaticField.Type { return true }
      // A Tensor field: read and written in place at its offset (see `nestedField`).
      if valueType == Tensor.self, let offset = MemoryLayout<Root>.offset(of: path) {
        fields.append(Field(
          append: { root, out in out.append((root + offset).assumingMemoryBound(to: Tensor.self).pointee) },
          replace: { root, leaves in
            check(!leaves.isEmpty, "TensorTree: too few tensors to rebuild \(Root.self) (at its field \(name))")
            (root + offset).assumingMemoryBound(to: Tensor.self).pointee = leaves.removeFirst()
          }))
        return true
      }
      guard let treeType = valueType as? any TensorTree.Type else {
        misuse(
          "TensorTree: the field \(Root.self).\(name) has type \(valueType), which is not a TensorTree (a Tensor, a struct of them, or an array or [String: _] dictionary of trees; Optional is not). Mark it @TreeStatic if it is not a parameter, or conform \(Root.self) by hand")
      }
      guard let field = nestedField(path, treeType) else {
        misuse("TensorTree: the field \(Root.self).\(name) has no fixed offset in \(Root.self); conform \(Root.self) by hand")
      }
      fields.append(field)
      return true
    }
    return fields
  }

  /// The access to a stored field of the ``TensorTree`` type `Value`, through its offset
  /// (`nil` when the layout gives none). The field is read and written in place, which is
  /// what a stored property's key path does, without the key path's interpretation.
  static func nestedField<Value: TensorTree>(_ path: PartialKeyPath<Root>, _: Value.Type) -> Field? {
    guard let offset = MemoryLayout<Root>.offset(of: path) else { return nil }
    return Field(
      append: { root, out in out.append(contentsOf: (root + offset).assumingMemoryBound(to: Value.self).pointee.leaves) },
      replace: { root, leaves in
        let field = (root + offset).assumingMemoryBound(to: Value.self)
        field.pointee = field.pointee.replacingLeaves(&leaves)
      })
  }
}

/// The type-erased base of the cached field tables.
class ReflectedFieldsBase: @unchecked Sendable {}

/// The field tables by type.
let reflectedFieldsCache = Mutex<[ObjectIdentifier: ReflectedFieldsBase]>([:])
