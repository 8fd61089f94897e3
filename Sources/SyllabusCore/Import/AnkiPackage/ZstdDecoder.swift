import CZstd
import Foundation

/// Decompresses a zstd stream (the system `libzstd`) chunk by chunk, as current Anki packages
/// store their collection, media list and media files (Anki writes each with zstd's streaming
/// encoder, so the size need not be in the frame header).
final class ZstdDecoder {
    /// The input is not zstd data, or is cut short.
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    private let stream: OpaquePointer
    private var output: [UInt8]
    /// zstd's hint after the last call: 0 when the input so far ends at the end of a frame.
    private var remainingHint = 0
    private var sawInput = false

    /// - Throws: `Failure` when zstd cannot allocate a stream.
    init() throws {
        guard let stream = ZSTD_createDStream() else { throw Failure(description: "zstd: out of memory") }
        self.stream = stream
        output = [UInt8](repeating: 0, count: ZSTD_DStreamOutSize())
        let status = ZSTD_initDStream(stream)
        guard ZSTD_isError(status) == 0 else { throw Failure(description: Self.message(status)) }
    }

    deinit { ZSTD_freeDStream(stream) }

    /// Feeds `chunk` and hands every decompressed piece to `sink`, in order.
    /// - Throws: `Failure` when the bytes are not zstd, or what `sink` throws.
    func decode(_ chunk: Data, into sink: (Data) throws -> Void) throws {
        guard !chunk.isEmpty else { return }
        sawInput = true
        try chunk.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            var input = ZSTD_inBuffer(src: raw.baseAddress, size: raw.count, pos: 0)
            // Runs until zstd has taken the whole chunk and has nothing more to flush for it.
            while true {
                let (status, produced) = output.withUnsafeMutableBytes { out -> (Int, Int) in
                    var buffer = ZSTD_outBuffer(dst: out.baseAddress, size: out.count, pos: 0)
                    let status = ZSTD_decompressStream(stream, &buffer, &input)
                    return (status, buffer.pos)
                }
                guard ZSTD_isError(status) == 0 else { throw Failure(description: Self.message(status)) }
                remainingHint = status
                if produced > 0 { try sink(Data(output[0..<produced])) }
                if input.pos == input.size && produced < output.count { break }
            }
        }
    }

    /// Checks that the input ended at the end of a frame.
    /// - Throws: `Failure` when there was no input or the last frame is cut short.
    func finish() throws {
        guard sawInput, remainingHint == 0 else { throw Failure(description: "zstd: the data ends in the middle of a frame") }
    }

    /// All of `data` decompressed.
    /// - Throws: `Failure` when it is not one or more complete zstd frames.
    static func decompress(_ data: Data) throws -> Data {
        let decoder = try ZstdDecoder()
        var result = Data()
        try decoder.decode(data) { result.append($0) }
        try decoder.finish()
        return result
    }

    private static func message(_ status: Int) -> String {
        "zstd: " + String(cString: ZSTD_getErrorName(status))
    }
}
