import TreeLib
@Tree struct S { var a: Double; var b: Double }
print(S.paths.count)
