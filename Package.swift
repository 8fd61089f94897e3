// swift-tools-version:5.9
import PackageDescription

let package = Package(
    name: "Syllabus",
    // macOS 14: Hummingbird 2's server is available from it on.
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "syllabus", targets: ["syllabus"]),
        .library(name: "SyllabusCore", targets: ["SyllabusCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", exact: "0.9.20"),
        // `syllabus serve`'s HTTP server (on SwiftNIO). Unlike FlyingFox before it, nothing in it
        // imports FoundationNetworking, so no command loads libcurl and its libraries at start.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        // Hummingbird's own dependencies, named for what serve uses of them directly: the logger
        // (silenced), and SwiftNIO's addresses, errors and server socket (the early bind check).
        .package(url: "https://github.com/apple/swift-log", from: "1.14.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CMarkGFM",
            pkgConfig: "libcmark-gfm",
            providers: [.apt(["libcmark-gfm-dev", "libcmark-gfm-extensions-dev"]), .brew(["cmark-gfm"])]
        ),
        // SQLite for Anki packages: the system library (Debian `libsqlite3-dev`; macOS has it in
        // its SDK), as for cmark-gfm.
        .systemLibrary(
            name: "CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        // zstd for reading current Anki packages (`syllabus import`), whose collection, media
        // list and media files are zstd-compressed: the system library (Debian `libzstd-dev`).
        .systemLibrary(
            name: "CZstd",
            pkgConfig: "libzstd",
            providers: [.apt(["libzstd-dev"]), .brew(["zstd"])]
        ),
        // libdeflate for the EPUB's entries, the search index's parts and the Anki packages'
        // entries, and for CRC-32s (zip's, the build cache's checksums): whole-buffer deflate, one
        // call per file, about twice as fast as zlib for smaller output. Debian `libdeflate-dev`.
        // (ZIPFoundation, which reads zips, links zlib itself.)
        .systemLibrary(
            name: "CLibDeflate",
            pkgConfig: "libdeflate",
            providers: [.apt(["libdeflate-dev"]), .brew(["libdeflate"])]
        ),
        // Frees the text cmark-gfm keeps in a parsed tree's blocks (see its header): C, because it
        // reads cmark-gfm's node structure, which Swift sees only as an opaque pointer.
        .target(name: "CMarkTreeMemory", dependencies: ["CMarkGFM"]),
        .target(
            name: "SyllabusCore",
            dependencies: [
                "CLibDeflate",
                "CMarkGFM",
                "CMarkTreeMemory",
                "CSQLite",
                "CZstd",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ]
        ),
        // `syllabus serve`: the development server, apart so the core needs no HTTP server.
        .target(
            name: "SyllabusServe",
            dependencies: [
                "SyllabusCore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .executableTarget(
            name: "syllabus",
            dependencies: [
                "SyllabusCore",
                "SyllabusServe",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "SyllabusCoreTests", dependencies: ["SyllabusCore", "SyllabusServe"]),
    ]
)
