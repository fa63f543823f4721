import Foundation

/// The checks and fix-ups every write goes through, with the real server's messages.
extension PodRegistry {
    static func checkKind(_ object: [String: Any]) throws(StatusError) {
        if let kind = object["kind"] as? String, !kind.isEmpty, kind != "Pod" {
            throw .badRequest("the kind of the object (\(kind)) does not match the resource (pods)")
        }
    }

    static func checkPreconditions(_ stored: StoredPod, resourceVersion: String?, uid: String?) throws(StatusError) {
        if let resourceVersion, !resourceVersion.isEmpty, resourceVersion != String(stored.resourceVersion) {
            throw .conflict(stored.name)
        }
        if let uid, !uid.isEmpty, uid != stored.uid {
            throw .uidPreconditionFailed(stored.name, .pods, precondition: uid, actual: stored.uid)
        }
    }

    /// Identity and creation time come from the stored pod whatever the request says.
    static func keepingImmutables(_ object: [String: Any], of stored: [String: Any]) -> [String: Any] {
        var object = object
        let storedMetadata = stored["metadata"] as? [String: Any] ?? [:]
        var metadata = object["metadata"] as? [String: Any] ?? [:]
        for key in ["name", "namespace", "uid", "creationTimestamp"] {
            metadata[key] = storedMetadata[key]
        }
        object["metadata"] = metadata
        object["kind"] = "Pod"
        object["apiVersion"] = "v1"
        return object
    }

    static func validateName(_ name: String, kind: String = "Pod") throws(StatusError) {
        let valid = !name.isEmpty && name.utf8.count <= 253
            && name.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-" || $0 == ".") }
            && name.first!.isLetterOrDigit && name.last!.isLetterOrDigit
        guard valid else {
            if name.isEmpty { throw .invalid("\(kind) \"\" is invalid: metadata.name: Required value: name or generateName is required") }
            throw .invalid("\(kind) \"\(name)\" is invalid: metadata.name: Invalid value: \"\(name)\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character")
        }
    }

    static func randomSuffix() -> String {
        let letters = Array("bcdfghjklmnpqrstvwxz2456789")
        return String((0..<5).map { _ in letters.randomElement()! })
    }
}

private extension Character {
    var isLetterOrDigit: Bool { isLetter || isNumber }
}
