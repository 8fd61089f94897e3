import CSQLite
import Foundation

/// A small SQLite database in memory (the system `libsqlite3`), written with prepared
/// statements and handed out as the bytes of a database file. Nothing touches the disk, and
/// the same statements in the same order give the same bytes.
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

    deinit { sqlite3_close(handle) }

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
