// A stand-in for Tensor and the TensorTree protocol, enough to compile ReflectedTensorTree.swift alone (see run.sh).
final class Storage { var v: [Double]; init(_ v: [Double]) { self.v = v } }
public struct Tensor { var storage: Storage; var shape: [Int] }
func misuse(_ m: @autoclosure () -> String) -> Never { fatalError(m()) }
func check(_ c: Bool, _ m: @autoclosure () -> String) { if !c { fatalError(m()) } }
public protocol TensorTree {
  var leaves: [Tensor] { get }
  func replacingLeaves(_ leaves: inout ArraySlice<Tensor>) -> Self
}
extension TensorTree {
  public func rebuilt(from leaves: [Tensor]) -> Self { var s = leaves[...]; return replacingLeaves(&s) }
}
extension Tensor: TensorTree {
  public var leaves: [Tensor] { [self] }
  public func replacingLeaves(_ leaves: inout ArraySlice<Tensor>) -> Tensor { leaves.removeFirst() }
}
extension Array: TensorTree where Element: TensorTree {
  public var leaves: [Tensor] { flatMap { $0.leaves } }
  public func replacingLeaves(_ leaves: inout ArraySlice<Tensor>) -> [Element] { map { $0.replacingLeaves(&leaves) } }
}
public protocol KeyPathTensorTree: TensorTree { static var tensorKeyPaths: [WritableKeyPath<Self, Tensor>] { get } }
extension KeyPathTensorTree {
  public var leaves: [Tensor] { Self.tensorKeyPaths.map { self[keyPath: $0] } }
  public func replacingLeaves(_ leaves: inout ArraySlice<Tensor>) -> Self {
    var copy = self
    for kp in Self.tensorKeyPaths { copy[keyPath: kp] = leaves.removeFirst() }
    return copy
  }
}
