import Testing
import Tangent
@testable import TangentTesting

/// The runner compares a full SVD on what it determines (OpInfo `linalg.svd#40`, `svd#44`):
/// the first k singular vectors, and a unitary full factor, not the basis of the extra ones.
@Suite struct FullSVDInvariantsTests {
  @Test func anotherBasisOfTheExtraColumnsMatches() throws {
    var rng = TestRandom(seed: 21)
    let a = rng.tensor([4, 2], dtype: .float64)
    let (u, s, vh) = try Linalg.svd(a)
    // Rotate U's two extra columns by 45°: another orthonormal basis of the same plane.
    let (c, sn) = (0.5.squareRoot(), 0.5.squareRoot())
    let rotation = Tensor(shape: [4, 4], scalars: [1.0, 0, 0, 0, 0, 1, 0, 0, 0, 0, c, -sn, 0, 0, sn, c])
    let rotated = u.matmul(rotation)
    #expect(try ConformanceRunner.compare([rotated], [u]) != nil, "the raw comparison sees the rotation")
    let inv = try #require(try ConformanceRunner.fullSVDInvariants(op: "linalg.svd", got: [rotated, s, vh], want: [u, s, vh]))
    #expect(inv.problem == nil)
    #expect(try ConformanceRunner.compare(inv.got, inv.want) == nil)
    #expect(inv.got[0].shape == [4, 2])
    // A factor whose extra columns are not orthonormal is reported.
    let scaled = u * Tensor([1.0, 1, 1, 2])
    let bad = try #require(try ConformanceRunner.fullSVDInvariants(op: "linalg.svd", got: [scaled, s, vh], want: [u, s, vh]))
    #expect(bad.problem?.contains("not unitary") == true)
    // torch.svd returns V (vectors as columns); a reduced or square SVD has nothing extra.
    #expect(try ConformanceRunner.fullSVDInvariants(op: "svd", got: [u, s, vh.mT], want: [u, s, vh.mT]) != nil)
    let square = try Linalg.svd(rng.tensor([3, 3], dtype: .float64))
    #expect(try ConformanceRunner.fullSVDInvariants(op: "linalg.svd", got: [square.u, square.s, square.vh], want: [square.u, square.s, square.vh]) == nil)
  }
}
