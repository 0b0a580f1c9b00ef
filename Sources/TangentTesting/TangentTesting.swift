import Tangent

/// Test support for Tangent: gradient checks and the op database.
public enum TangentTesting {}
