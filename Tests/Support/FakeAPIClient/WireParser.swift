import Foundation

/// An HTTP/1.1 response parser that keeps what a normal client hides: the exact chunk
/// boundaries of a chunked body, and whether the response completed before the connection
/// ended. Fed raw bytes, it emits parts.
struct WireParser {
    enum Part: Sendable {
        case head(status: Int, headers: [(name: String, value: String)])
        /// Bytes of a body sent with Content-Length (or until close).
        case data([UInt8])
        /// One complete chunk of a chunked body.
        case chunk([UInt8])
        /// The response is complete (terminal chunk, or Content-Length reached).
        case complete
    }

    private enum State {
        case head
        case length(Int)
        case chunkSize
        case chunkData(Int)
        case chunkTrailer
        case untilClose
        case done
    }

    private var state = State.head
    private var buffer: [UInt8] = []
    /// Bytes before this are consumed; dropped from `buffer` in batches so parsing stays linear.
    private var position = 0
    private var reportedComplete = false

    var isComplete: Bool {
        if case .done = state { return true }
        return false
    }

    mutating func feed(_ bytes: some Collection<UInt8>) -> [Part] {
        buffer.append(contentsOf: bytes)
        var parts: [Part] = []
        while let part = next() { parts.append(part) }
        if position > 65_536 || position == buffer.count {
            buffer.removeFirst(position)
            position = 0
        }
        if isComplete && !reportedComplete {
            reportedComplete = true
            parts.append(.complete)
        }
        return parts
    }

    private mutating func next() -> Part? {
        switch state {
        case .head:
            guard let end = find([13, 10, 13, 10]) else { return nil }
            let text = String(decoding: buffer[position..<end], as: UTF8.self)
            position = end + 4
            var lines = text.split(separator: "\r\n", omittingEmptySubsequences: false).map(String.init)
            let statusLine = lines.removeFirst().split(separator: " ")
            let status = statusLine.count > 1 ? Int(statusLine[1]) ?? 0 : 0
            let headers = lines.compactMap { line -> (name: String, value: String)? in
                guard let colon = line.firstIndex(of: ":") else { return nil }
                return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: [" "]))
            }
            let value = { (name: String) in headers.first { $0.name.lowercased() == name }?.value }
            if value("transfer-encoding")?.lowercased().contains("chunked") == true {
                state = .chunkSize
            } else if let length = value("content-length").flatMap({ Int($0) }) {
                state = length == 0 ? .done : .length(length)
            } else {
                state = .untilClose
            }
            return Part.head(status: status, headers: headers)
        case .length(let remaining):
            guard available > 0 else { return nil }
            let n = min(remaining, available)
            let data = Array(buffer[position..<(position + n)])
            position += n
            state = n == remaining ? .done : .length(remaining - n)
            return .data(data)
        case .chunkSize:
            guard let end = find([13, 10]) else { return nil }
            let line = String(decoding: buffer[position..<end], as: UTF8.self)
            position = end + 2
            let size = Int(line.split(separator: ";").first.map(String.init) ?? "", radix: 16) ?? 0
            state = size == 0 ? .chunkTrailer : .chunkData(size)
            return next()
        case .chunkData(let size):
            guard available >= size + 2 else { return nil }
            let chunk = Array(buffer[position..<(position + size)])
            position += size + 2
            state = .chunkSize
            return .chunk(chunk)
        case .chunkTrailer:
            guard let end = find([13, 10]) else { return nil }
            let empty = end == position
            position = end + 2
            if empty {
                state = .done
                return nil
            }
            return next()
        case .untilClose:
            guard available > 0 else { return nil }
            defer { position = buffer.count }
            return .data(Array(buffer[position...]))
        case .done:
            return nil
        }
    }

    private var available: Int { buffer.count - position }

    /// Absolute index of the first occurrence of `pattern` at or after `position`.
    private func find(_ pattern: [UInt8]) -> Int? {
        guard available >= pattern.count else { return nil }
        for index in position...(buffer.count - pattern.count) where buffer[index] == pattern[0] {
            if buffer[index..<(index + pattern.count)].elementsEqual(pattern) { return index }
        }
        return nil
    }
}
