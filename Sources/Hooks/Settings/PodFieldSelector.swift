import Foundation
import Kube

/// A field selector over pods (`spec.nodeName=node-1,status.phase!=Succeeded`): the fields and
/// operators the API server supports for pods, matched against the cached pod, so a hook can
/// narrow what it sees without another watch.
public struct PodFieldSelector: Sendable, Equatable {
    public struct Requirement: Sendable, Equatable {
        public let field: String
        public let value: String
        public let equals: Bool
    }

    public let requirements: [Requirement]

    /// The pod fields the API server accepts in a field selector (status.podIPs aside).
    public static let fields: [String] = [
        "metadata.name", "metadata.namespace", "spec.nodeName", "spec.restartPolicy", "spec.schedulerName",
        "spec.serviceAccountName", "spec.hostNetwork", "status.phase", "status.podIP", "status.nominatedNodeName",
    ]

    public init(parsing text: String) throws(SettingError) {
        var requirements: [Requirement] = []
        for term in text.split(separator: ",", omittingEmptySubsequences: false) {
            let term = term.trimmingCharacters(in: .whitespaces)
            let (field, value, equals): (Substring, Substring, Bool)
            if let range = term.firstRange(of: "!=") {
                (field, value, equals) = (term[..<range.lowerBound], term[range.upperBound...], false)
            } else if let range = term.firstRange(of: "==") ?? term.firstRange(of: "=") {
                (field, value, equals) = (term[..<range.lowerBound], term[range.upperBound...], true)
            } else {
                throw SettingError("'\(term)' is not field=value or field!=value")
            }
            let name = field.trimmingCharacters(in: .whitespaces)
            guard Self.fields.contains(name) else {
                throw SettingError("'\(name)' is not a field pods can be selected by (\(Self.fields.joined(separator: ", ")))")
            }
            requirements.append(Requirement(field: name, value: value.trimmingCharacters(in: .whitespaces), equals: equals))
        }
        self.requirements = requirements
    }

    public func matches(_ pod: PodRecord) -> Bool {
        requirements.allSatisfy { requirement in
            // An absent field compares as "", as the API server's defaulted fields do.
            let actual = pod.scalar(at: requirement.field.split(separator: ".")) ?? ""
            return (actual == requirement.value) == requirement.equals
        }
    }
}
