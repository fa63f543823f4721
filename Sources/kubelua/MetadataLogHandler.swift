import Logging

/// What kubelua's log handlers share: metadata kept in a plain dictionary.
protocol MetadataLogHandler: LogHandler {
    var metadata: Logger.Metadata { get set }
}

extension MetadataLogHandler {
    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }
}
