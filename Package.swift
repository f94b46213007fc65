// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Caseload",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "caseload", targets: ["caseload"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
    ],
    targets: [
        // Domain, events and the projection. Foundation only: no I/O, no curses.
        .target(name: "CaseloadCore", exclude: ["Schema"]),
        // The processor's CRC32C instruction (SSE4.2, ARM CRC) behind a run-time check.
        .target(name: "CCRC32C"),
        // The append-only journal file and the data directory built on it.
        // Sealing event bodies at rest: libsodium (XChaCha20-Poly1305, Argon2id) loaded with dlopen
        // only when an encrypted caseload is opened, so building needs no headers.
        .target(name: "CaseloadCrypto", dependencies: ["CaseloadCore"]),
        .target(name: "CaseloadJournal", dependencies: ["CaseloadCore", "CaseloadCrypto", "CCRC32C"]),
        // ncursesw through a shim header; nothing else touches C.
        .systemLibrary(name: "CCurses", path: "Sources/CCurses"),
        // Exchanging events with a shared folder or a PostgreSQL server. libpq is loaded with
        // dlopen only when a PostgreSQL sync runs, so building needs no PostgreSQL headers.
        .target(name: "CaseloadSync", dependencies: ["CaseloadCore", "CaseloadJournal"]),
        // Display width per grapheme cluster, word wrap and the note editor's text buffer.
        .target(name: "CaseloadText", dependencies: ["CCurses"]),
        // State, update, views, cell grid, themes and the curses backend.
        // The app's state, update and views: pure (no journal, sync, curses or wall clock), so
        // every screen is tested as a grid.
        .target(name: "CaseloadTUI", dependencies: ["CaseloadCore", "CaseloadText"]),
        // The config file, theme files and import mappings, read as real TOML through TOMLKit
        // (toml++ inside), so the core and the pure TUI stay Foundation-only. Also the loader that
        // looks for theme files and the three themes built into the binary.
        .target(name: "CaseloadConfig", dependencies: ["CaseloadCore", "CaseloadTUI", .product(name: "TOMLKit", package: "TOMLKit")]),
        // The terminal runtime around it: curses, the effect runner (store, sync, $EDITOR), the loop.
        .target(name: "CaseloadTerminal", dependencies: ["CaseloadTUI", "CaseloadConfig", "CaseloadCore", "CaseloadCrypto", "CaseloadJournal", "CaseloadSync", "CaseloadText", "CCurses"]),
        // Every parser of outside input as a fuzz target, for FuzzTests and `caseload-fuzz`.
        .target(name: "CaseloadFuzz", dependencies: ["CaseloadConfig", "CaseloadCore", "CaseloadCrypto", "CaseloadJournal", "CaseloadTUI", "CaseloadSync"]),
        // libFuzzer driver (scripts/fuzz builds it with -sanitize=fuzzer); plain, it replays inputs.
        .executableTarget(name: "caseload-fuzz", dependencies: ["CaseloadFuzz"]),
        // What `caseload` and `caseload-bench` share: errors and exit codes, the data-folder,
        // --as-of and --json options, standard output and the passphrase prompt.
        .target(
            name: "CaseloadCommandLine",
            dependencies: [
                "CaseloadCore", "CaseloadJournal", "CaseloadCrypto", "CaseloadText",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "caseload",
            dependencies: [
                "CaseloadCommandLine", "CaseloadCore", "CaseloadConfig", "CaseloadJournal", "CaseloadCrypto", "CaseloadText", "CaseloadTUI", "CaseloadTerminal", "CaseloadSync",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // The benchmark and test hooks (debug-append, debug-first-frame, ...): scripts/bench and
        // the crash harness run them; they are not in the shipped binary.
        .executableTarget(
            name: "caseload-bench",
            dependencies: [
                "CaseloadCommandLine", "CaseloadCore", "CaseloadJournal", "CaseloadTUI", "CaseloadTerminal", "CaseloadSync",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "CaseloadCoreTests", dependencies: ["CaseloadCore"]),
        .testTarget(name: "CaseloadJournalTests", dependencies: ["CaseloadJournal", "CaseloadCore", "CaseloadCrypto"]),
        .testTarget(name: "CaseloadTextTests", dependencies: ["CaseloadText"]),
        .testTarget(name: "CaseloadCommandLineTests", dependencies: ["CaseloadCommandLine", "CaseloadCore"]),
        .testTarget(name: "CaseloadSyncTests", dependencies: ["CaseloadSync", "CaseloadJournal", "CaseloadCore"]),
        .testTarget(name: "CaseloadTUITests", dependencies: ["CaseloadTUI", "CaseloadCore", "CaseloadJournal"]),
        .testTarget(name: "CaseloadConfigTests", dependencies: ["CaseloadConfig", "CaseloadTUI", "CaseloadCore"]),
        .testTarget(name: "CaseloadFuzzTests", dependencies: ["CaseloadFuzz"], exclude: ["FuzzRegressions"]),
        // End-to-end tests of the built `caseload` binary (and, in tmux, of the terminal app).
        .testTarget(name: "CaseloadCLITests", dependencies: ["caseload", "caseload-bench", "CaseloadJournal", "CaseloadCrypto", "CaseloadCore", "CaseloadSync", "CaseloadText"], exclude: ["Fixtures"]),
    ],
    swiftLanguageModes: [.v6]
)
