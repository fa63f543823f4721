/// A parsed `labelSelector`: every requirement must hold. The empty selector matches everything.
/// kubelua's own: the fake API server tests run against parses and matches selectors by its own code.
public struct LabelSelector: Sendable, Equatable {
    public enum Requirement: Sendable, Equatable {
        case equals(String, String)
        case notEquals(String, String)
        case isIn(String, Set<String>)
        case notIn(String, Set<String>)
        case exists(String)
        case doesNotExist(String)
    }

    public var requirements: [Requirement] = []

    public init() {}

    public var isEmpty: Bool { requirements.isEmpty }

    public func matches(_ labels: [String: String]) -> Bool {
        requirements.allSatisfy { requirement in
            switch requirement {
            case let .equals(key, value): labels[key] == value
            // As in Kubernetes, `!=` and `notin` also match pods that lack the label.
            case let .notEquals(key, value): labels[key] != value
            case let .isIn(key, values): labels[key].map(values.contains) ?? false
            case let .notIn(key, values): !(labels[key].map(values.contains) ?? false)
            case let .exists(key): labels[key] != nil
            case let .doesNotExist(key): labels[key] == nil
            }
        }
    }
}

/// A selector that does not parse; the message names the term and says why.
public struct LabelSelectorError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
