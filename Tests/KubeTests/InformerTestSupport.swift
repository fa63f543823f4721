@testable import Kube

/// A pod object's JSON, small but shaped like the API server's.
func podJSON(
    _ name: String, namespace: String = "default", uid: String = "uid-1", resourceVersion: String, phase: String? = "Pending"
) -> String {
    let status = phase.map { #","status":{"phase":"\#($0)","conditions":[{"type":"Ready","status":"False"}]}"# } ?? ""
    return #"{"kind":"Pod","apiVersion":"v1","metadata":{"name":"\#(name)","namespace":"\#(namespace)","uid":"\#(uid)","resourceVersion":"\#(resourceVersion)","labels":{"app":"x"}},"spec":{"containers":[{"name":"c","image":"busybox"}]}\#(status)}"#
}

func pod(_ name: String, namespace: String = "default", uid: String = "uid-1", rv: String, phase: String? = "Pending") -> PodRecord {
    try! PodRecord.scan(Array(podJSON(name, namespace: namespace, uid: uid, resourceVersion: rv, phase: phase).utf8))
}

func eventJSON(_ type: String, _ object: String) -> String {
    #"{"type":"\#(type)","object":\#(object)}"#
}
