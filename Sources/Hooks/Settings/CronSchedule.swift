import Foundation

/// When a hook's `on_schedule` runs: five cron fields (minute, hour, day of month, month, day of
/// week; `*`, lists, ranges, steps, month and weekday names), `@hourly`, `@daily`/`@midnight`,
/// `@weekly`, `@monthly`, `@yearly`/`@annually`, or `@every 30s`. Times are wall-clock times in
/// `timeZone` (the process's: UTC in the image).
public struct CronSchedule: Sendable, Equatable {
    public enum Rule: Sendable, Equatable {
        /// Minutes 0–59, hours 0–23, days 1–31, months 1–12, weekdays 0–6 (Sunday 0); when both
        /// days are restricted, a day matching either counts (as cron does).
        case fields(minutes: Set<Int>, hours: Set<Int>, days: Set<Int>, months: Set<Int>, weekdays: Set<Int>, daysRestricted: Bool, weekdaysRestricted: Bool)
        /// Every interval, counted from the Unix epoch (so ticks fall on round times).
        case every(seconds: Int)
    }

    public let rule: Rule
    public let text: String

    public init(parsing text: String) throws(SettingError) {
        self.text = text
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let macros = [
            "@hourly": "0 * * * *", "@daily": "0 0 * * *", "@midnight": "0 0 * * *", "@weekly": "0 0 * * 0",
            "@monthly": "0 0 1 * *", "@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *",
        ]
        if trimmed.hasPrefix("@every") {
            let interval = trimmed.dropFirst("@every".count).trimmingCharacters(in: .whitespaces)
            guard let duration = SettingText.duration(.string(interval)), duration >= .seconds(1) else {
                throw SettingError("'@every \(interval)': expected an interval of at least 1s such as \"30s\" or \"5m\"")
            }
            rule = .every(seconds: Int(duration.components.seconds))
            return
        }
        let expanded = macros[trimmed] ?? trimmed
        if expanded.hasPrefix("@") { throw SettingError("'\(trimmed)' is not a schedule (known: \(macros.keys.sorted().joined(separator: ", ")), @every)") }
        let fields = expanded.split(separator: " ", omittingEmptySubsequences: true)
        guard fields.count == 5 else {
            throw SettingError("'\(trimmed)' has \(fields.count) field\(fields.count == 1 ? "" : "s"); expected 5 (minute hour day-of-month month day-of-week)")
        }
        let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
        let weekdays = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]
        let minutes = try Self.field(fields[0], "minute", 0...59)
        let hours = try Self.field(fields[1], "hour", 0...23)
        let days = try Self.field(fields[2], "day of month", 1...31)
        let monthSet = try Self.field(fields[3], "month", 1...12, names: months, firstName: 1)
        // 7 is Sunday too.
        let weekdaySet = Set(try Self.field(fields[4], "day of week", 0...7, names: weekdays, firstName: 0).map { $0 % 7 })
        rule = .fields(
            minutes: minutes, hours: hours, days: days, months: monthSet, weekdays: weekdaySet,
            daysRestricted: fields[2] != "*", weekdaysRestricted: fields[4] != "*")
    }

    /// The first tick strictly after `date`, in `timeZone`; nil if none within five years.
    public func next(after date: Date, in timeZone: TimeZone) -> Date? {
        switch rule {
        case .every(let seconds):
            let now = date.timeIntervalSince1970
            return Date(timeIntervalSince1970: (floor(now / Double(seconds)) + 1) * Double(seconds))
        case .fields(let minutes, let hours, let days, let months, let weekdays, let daysRestricted, let weekdaysRestricted):
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = timeZone
            let start = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
            guard var day = calendar.date(from: DateComponents(year: start.year, month: start.month, day: start.day)) else { return nil }
            for _ in 0..<(366 * 5) {
                let parts = calendar.dateComponents([.year, .month, .day, .weekday], from: day)
                let dayMatches = days.contains(parts.day!), weekdayMatches = weekdays.contains(parts.weekday! - 1)
                let matches = daysRestricted && weekdaysRestricted ? (dayMatches || weekdayMatches) : (dayMatches && weekdayMatches)
                if months.contains(parts.month!), matches {
                    for hour in hours.sorted() {
                        for minute in minutes.sorted() {
                            guard let candidate = calendar.date(from: DateComponents(
                                year: parts.year, month: parts.month, day: parts.day, hour: hour, minute: minute)),
                                candidate > date,
                                calendar.component(.hour, from: candidate) == hour
                            else { continue }
                            return candidate
                        }
                    }
                }
                guard let following = calendar.date(byAdding: .day, value: 1, to: day) else { return nil }
                day = following
            }
            return nil
        }
    }

    /// One field: `*`, `*/n`, `a`, `a-b`, `a-b/n`, lists of those; names where the field has them.
    private static func field(
        _ text: Substring, _ name: String, _ range: ClosedRange<Int>, names: [String] = [], firstName: Int = 0
    ) throws(SettingError) -> Set<Int> {
        func value(_ part: Substring) throws(SettingError) -> Int {
            if let number = Int(part), range.contains(number) { return number }
            if let index = names.firstIndex(of: part.lowercased()) { return index + firstName }
            throw SettingError("'\(part)' is not a \(name) (\(range.lowerBound)-\(range.upperBound)\(names.isEmpty ? "" : " or a name"))")
        }
        var result = Set<Int>()
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            let pieces = item.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
            var step = 1
            if pieces.count == 2 {
                guard let parsed = Int(pieces[1]), parsed >= 1 else { throw SettingError("'\(item)': the step after / must be a whole number of at least 1") }
                step = parsed
            }
            let span: ClosedRange<Int>
            if pieces[0] == "*" {
                span = range
            } else if let dash = pieces[0].firstIndex(of: "-") {
                let low = try value(pieces[0][..<dash]), high = try value(pieces[0][pieces[0].index(after: dash)...])
                guard low <= high else { throw SettingError("'\(item)': the range runs backwards") }
                span = low...high
            } else {
                let single = try value(pieces[0])
                span = single...(pieces.count == 2 ? range.upperBound : single)
            }
            for value in stride(from: span.lowerBound, through: span.upperBound, by: step) { result.insert(value) }
        }
        return result
    }
}
