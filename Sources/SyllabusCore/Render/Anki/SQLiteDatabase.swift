import CSQLite
import Foundation

/// A small SQLite database (the system `libsqlite3`): either in memory, written with prepared
/// statements and handed out as the bytes of a database file (nothing touches the disk, and
/// the same statements in the same order give the same bytes), or an existing file opened
/// read-only and queried (an imported Anki collection).
final class SQLiteDatabase {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// A value bound to a statement's `?` parameter.
    enum Value {
        case integer(Int64)
        case text(String)
    }

    private var handle: OpaquePointer?

    /// Opens an empty in-memory database.
    /// - Throws: `Failure` when SQLite cannot open one.
    init() throws {
        guard sqlite3_open_v2(":memory:", &handle, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nil) == SQLITE_OK else {
            let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close(handle)
            throw Failure(description: "cannot open an SQLite database: \(message)")
        }
    }

    /// Opens the database file at `url` read-only. It is opened as immutable, so SQLite writes
    /// no journal or lock file beside it and never changes it.
    /// - Throws: `Failure` when SQLite cannot open it. A file that is not a database opens and
    ///   fails at its first query.
    init(readingFile url: URL) throws {
        let uri = url.absoluteString + "?immutable=1"
        guard sqlite3_open_v2(uri, &handle, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, nil) == SQLITE_OK else {
            let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close(handle)
            throw Failure(description: "cannot open an SQLite database: \(message)")
        }
    }

    deinit { sqlite3_close(handle) }

    /// One result row of `query`, read by column position (0-based).
    struct Row {
        fileprivate let statement: OpaquePointer?

        /// The column as an integer (0 for NULL; text is converted as SQLite does).
        func integer(_ column: Int32) -> Int64 { sqlite3_column_int64(statement, column) }

        /// The column as UTF-8 text ("" for NULL).
        func text(_ column: Int32) -> String {
            guard let bytes = sqlite3_column_text(statement, column) else { return "" }
            let count = Int(sqlite3_column_bytes(statement, column))
            return String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
        }

        /// The column as bytes (empty for NULL).
        func blob(_ column: Int32) -> Data {
            guard let bytes = sqlite3_column_blob(statement, column) else { return Data() }
            return Data(bytes: bytes, count: Int(sqlite3_column_bytes(statement, column)))
        }
    }

    /// Runs one statement and calls `body` with each row it yields, in order.
    /// - Throws: `Failure` when the SQL does not prepare or a step fails (for example when the
    ///   file is not a database), or what `body` throws.
    func query(_ sql: String, _ body: (Row) throws -> Void) throws {
        var statement: OpaquePointer?
        try check(sqlite3_prepare_v2(handle, sql, -1, &statement, nil))
        defer { sqlite3_finalize(statement) }
        while true {
            switch sqlite3_step(statement) {
            case SQLITE_ROW: try body(Row(statement: statement))
            case SQLITE_DONE: return
            default: throw error()
            }
        }
    }

    /// Runs SQL without parameters (one or more statements).
    func execute(_ sql: String) throws {
        try check(sqlite3_exec(handle, sql, nil, nil, nil))
    }

    /// Runs one statement once per row of `rows`, each row's values bound to its `?` in order.
    func insert(_ sql: String, rows: [[Value]]) throws {
        var statement: OpaquePointer?
        try check(sqlite3_prepare_v2(handle, sql, -1, &statement, nil))
        defer { sqlite3_finalize(statement) }
        // SQLITE_TRANSIENT: SQLite copies the text, so Swift's buffer may go away after binding.
        let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
        for row in rows {
            try check(sqlite3_reset(statement))
            for (index, value) in row.enumerated() {
                let position = Int32(index + 1)
                switch value {
                case .integer(let number): try check(sqlite3_bind_int64(statement, position, number))
                case .text(let text): try check(sqlite3_bind_text(statement, position, text, -1, transient))
                }
            }
            guard sqlite3_step(statement) == SQLITE_DONE else { throw error() }
        }
    }

    /// The database as the bytes of an SQLite file.
    func serialized() throws -> Data {
        var size: sqlite3_int64 = 0
        guard let bytes = sqlite3_serialize(handle, "main", &size, 0) else { throw error() }
        defer { sqlite3_free(bytes) }
        return Data(bytes: bytes, count: Int(size))
    }

    private func check(_ status: Int32) throws {
        guard status == SQLITE_OK else { throw error() }
    }

    private func error() -> Failure {
        Failure(description: "SQLite: \(String(cString: sqlite3_errmsg(handle)))")
    }
}
