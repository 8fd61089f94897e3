import Foundation

/// Where the figures of a note, a card file or a single card come from, and when they were
/// last checked against those sources: front matter `sources:` and `checked:`, or a card's
/// `<!-- source: URL -->` and `<!-- checked: YYYY-MM-DD -->` comments.
struct Provenance: Sendable, Equatable, Encodable {
    /// Absolute `http`/`https` URLs, in the order written.
    var sources: [String] = []
    /// `checked:`, the day the figures were last compared with the sources.
    var checked: CheckedDate?
    /// The line the provenance was written on (the `checked:` key, else `sources:`, else the
    /// first line), where a stale-content warning points.
    var line = 1

    /// - Parameter line: 1-based line in the file where a stale-content warning should point.
    init(sources: [String] = [], checked: CheckedDate? = nil, line: Int = 1) {
        self.sources = sources
        self.checked = checked
        self.line = line
    }

    /// True when neither sources nor a checked date were written.
    var isEmpty: Bool { sources.isEmpty && checked == nil }

    /// Why `url` cannot be a source, or nil when it can: sources are links a reader follows
    /// out of the study set, so they must be absolute web URLs that the HTML sanitizer allows.
    static func problem(with url: String) -> String? {
        if Sanitizer.isDangerous(url, image: false) { return "source '\(url)' is not allowed (unsafe URL scheme)" }
        let lower = url.lowercased()
        guard lower.hasPrefix("https://") || lower.hasPrefix("http://"), url.count > 8,
              !url.contains(where: { $0.isWhitespace || $0 == "<" || $0 == ">" || $0 == "\"" }) else {
            return "source '\(url)' must be an absolute http or https URL"
        }
        return nil
    }
}

/// A calendar date written `YYYY-MM-DD` (ISO 8601's extended date form), as in `checked:`.
struct CheckedDate: Sendable, Hashable, Comparable, CustomStringConvertible, Encodable {
    /// The Gregorian year, as written (four digits).
    let year: Int
    /// 1 to 12.
    let month: Int
    /// 1 to the month's last day (checked when parsed).
    let day: Int

    /// Nil unless `text` is exactly `YYYY-MM-DD` and names a real day of the Gregorian calendar.
    init?(_ text: String) {
        guard let (year, month, day) = Self.numbers(text), (1...12).contains(month),
              day >= 1, day <= Self.days(inMonth: month, year: year) else { return nil }
        self.init(year: year, month: month, day: day)
    }

    /// Year, month and day of text written `YYYY-MM-DD` in ASCII digits, whatever their values.
    private static func numbers(_ text: String) -> (Int, Int, Int)? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
              let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]) else { return nil }
        return (year, month, day)
    }

    /// Why `text`, which `init?` refused, is no `checked:` date, as a diagnostic says it: not
    /// written `YYYY-MM-DD`, or written so but naming no day ("2026-02-30": February 2026 has
    /// 28 days).
    static func problem(with text: String) -> String {
        guard let (year, month, _) = numbers(text) else { return "'checked' must be a date written YYYY-MM-DD, not '\(text)'" }
        guard (1...12).contains(month) else { return "'checked' is '\(text)', but a year has no month \(month)" }
        return "'checked' is '\(text)', a day that does not exist: \(monthNames[month - 1]) \(year) has \(days(inMonth: month, year: year)) days"
    }

    init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// The day `date` falls on in UTC.
    init(_ date: Date) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        self.init(year: parts.year!, month: parts.month!, day: parts.day!)
    }

    static func days(inMonth month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// `months` calendar months after this date (the last day of the month when the day does
    /// not exist there: 31 August + 6 months is 28 or 29 February).
    func adding(months: Int) -> CheckedDate {
        let total = year * 12 + (month - 1) + months
        let newYear = total / 12, newMonth = total % 12 + 1
        return CheckedDate(year: newYear, month: newMonth, day: min(day, Self.days(inMonth: newMonth, year: newYear)))
    }

    /// `2026-11-30`.
    var description: String {
        String(format: "%04d-%02d-%02d", year, month, day)
    }

    /// `30 November 2026`: what a reader sees, the same in every output and language setting.
    var spelled: String {
        "\(day) \(Self.monthNames[month - 1]) \(year)"
    }

    private static let monthNames = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
                                     "October", "November", "December"]

    /// Calendar order.
    static func < (lhs: CheckedDate, rhs: CheckedDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }
}
