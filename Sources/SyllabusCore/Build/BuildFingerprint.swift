import Foundation

/// A hash of everything a build reads: the configuration, every file of the content and
/// templates folders (paths and bytes), and the syllabus executable itself. When it matches
/// the last successful build's, and that build's folders are all there, the build has
/// nothing to do; hashing costs a few hundredths of a second where a build costs seconds.
struct BuildFingerprint: Equatable {
    let value: String

    static let fileName = ".syllabus-fingerprint"

    init(value: String) { self.value = value }

    init(options: BuildOptions) {
        var hasher = StableHasher()
        hasher.add("config")
        hasher.add(FileManager.default.contents(atPath: options.configFile.path) ?? Data())
        for root in [options.contentRoot, options.templatesRoot] {
            hasher.add("folder " + root.standardizedFileURL.path)
            for path in Self.files(under: root) {
                hasher.add(path)
                hasher.add(FileManager.default.contents(atPath: root.appendingPathComponent(path).path) ?? Data())
            }
        }
        // A rebuilt or upgraded syllabus may render differently.
        if let executable = Bundle.main.executableURL,
           let attributes = try? FileManager.default.attributesOfItem(atPath: executable.path) {
            hasher.add("tool \(attributes[.size] ?? 0) \(attributes[.modificationDate] ?? 0)")
        }
        value = hasher.hex
    }

    /// Relative paths of every regular file below `root`, sorted.
    static func files(under root: URL) -> [String] {
        let base = root.standardizedFileURL.path + "/"
        guard let walker = FileManager.default.enumerator(atPath: base) else { return [] }
        var paths: [String] = []
        while let path = walker.nextObject() as? String {
            if walker.fileAttributes?[.type] as? FileAttributeType == .typeRegular { paths.append(path) }
        }
        return paths.sorted()
    }

    /// The fingerprint recorded in `outputRoot` with the counts of that build.
    static func recorded(in outputRoot: URL) -> (fingerprint: BuildFingerprint, pages: Int, services: Int, cards: Int)? {
        guard let text = try? String(contentsOf: outputRoot.appendingPathComponent(fileName), encoding: .utf8) else { return nil }
        let fields = text.split(whereSeparator: \.isWhitespace).map(String.init)
        guard fields.count == 4, let pages = Int(fields[1]), let services = Int(fields[2]), let cards = Int(fields[3]) else { return nil }
        return (BuildFingerprint(value: fields[0]), pages, services, cards)
    }

    func record(in outputRoot: URL, pages: Int, services: Int, cards: Int) throws {
        try Data("\(value) \(pages) \(services) \(cards)\n".utf8).write(to: outputRoot.appendingPathComponent(Self.fileName), options: .atomic)
    }

    static func forget(in outputRoot: URL) {
        try? FileManager.default.removeItem(at: outputRoot.appendingPathComponent(fileName))
    }
}

/// Two FNV-1a lanes over a stream of byte chunks, for a 128-bit fingerprint.
struct StableHasher {
    private var low: UInt64 = 0xcbf2_9ce4_8422_2325
    private var high: UInt64 = 0x6c62_272e_07bb_0142

    mutating func add(_ data: Data) {
        add(length: data.count)
        data.withUnsafeBytes { buffer in
            for byte in buffer {
                low = (low ^ UInt64(byte)) &* 0x100_0000_01b3
                high = (high ^ UInt64(byte)) &* 0x100_0000_01b3 ^ (high >> 29)
            }
        }
    }

    mutating func add(_ text: String) { add(Data(text.utf8)) }

    /// Lengths keep ("ab","c") and ("a","bc") apart.
    private mutating func add(length: Int) {
        withUnsafeBytes(of: UInt64(length).littleEndian) { buffer in
            for byte in buffer { low = (low ^ UInt64(byte)) &* 0x100_0000_01b3 }
        }
    }

    var hex: String { String(format: "%016llx%016llx", high, low) }
}
