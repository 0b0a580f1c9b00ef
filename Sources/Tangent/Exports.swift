// Tangent's complex scalar is swift-numerics' `Complex`; re-export it so users need one import.
@_exported import ComplexModule
@_exported import RealModule
