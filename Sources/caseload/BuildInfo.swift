/// The version `caseload --version` prints, and the commit it was built from. `scripts/install`
/// writes BuildInfo+Generated.swift with the commit and builds with CASELOAD_BUILD_INFO; a
/// plain `swift build` needs neither and says the commit was not recorded.
enum BuildInfo {
    static let version = "0.9.0"

    static var versionLine: String { "caseload \(version) (\(commitDescription))" }

    #if CASELOAD_BUILD_INFO
    static var commitDescription: String { "commit \(GeneratedBuildInfo.commit), built \(GeneratedBuildInfo.date)" }
    #else
    static var commitDescription: String { "development build, commit not recorded" }
    #endif
}
