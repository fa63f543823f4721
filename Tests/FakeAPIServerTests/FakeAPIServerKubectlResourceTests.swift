import FakeAPIServer
import Foundation
import Testing

/// kubectl against the fake beyond pods: events, jobs, and deleting a pod (which makes
/// kubectl send DeleteOptions and then wait for the pod to be gone).
@Suite(.enabled(if: Kubectl.path != nil, "kubectl is not installed; skipping the kubectl smoke tests"), .timeLimit(.minutes(1)))
struct FakeAPIServerKubectlResourceTests {
    @Test func getEventsShowsEventsOfBothGroups() async throws {
        try await withFakeServer { server, _ in
            try server.createObject(.events, ["metadata": ["name": "web.started", "namespace": "default"],
                                              "involvedObject": ["kind": "Pod", "name": "web"], "reason": "Started",
                                              "message": "hook started", "type": "Normal"])
            try server.createObject(.eventsV1, ["metadata": ["name": "web.scaled", "namespace": "default"],
                                                "regarding": ["kind": "Pod", "name": "web"], "reason": "Scaled",
                                                "note": "hook scaled", "type": "Normal", "action": "Scale",
                                                "reportingController": "kubelua", "reportingInstance": "kubelua-0",
                                                "eventTime": "2026-01-01T00:00:00.000000Z"])
            let kubectl = try Kubectl(server: server)
            defer { kubectl.remove() }
            let events = try await kubectl.run(["get", "events", "-o", "name"])
            #expect(events.status == 0, "\(events.output)")
            #expect(events.output.contains("event/web.started") && events.output.contains("event/web.scaled"), "\(events.output)")
            let table = try await kubectl.run(["get", "events"])
            #expect(table.status == 0, "\(table.output)")
            #expect(table.output.contains("web.started"), "\(table.output)")
        }
    }

    @Test func getJobs() async throws {
        try await withFakeServer { server, _ in
            try server.createObject(.jobs, ["metadata": ["name": "backup", "namespace": "default"]])
            try server.createObject(.jobs, ["metadata": ["name": "report", "namespace": "shop"]])
            let kubectl = try Kubectl(server: server)
            defer { kubectl.remove() }
            let jobs = try await kubectl.run(["get", "jobs", "-A"])
            #expect(jobs.status == 0, "\(jobs.output)")
            #expect(jobs.output.contains("backup") && jobs.output.contains("report"), "\(jobs.output)")
            let one = try await kubectl.run(["get", "job", "backup", "-o", "jsonpath={.metadata.name}/{.kind}"])
            #expect(one.output == "backup/Job", "\(one.output)")
        }
    }

    @Test func deletePod() async throws {
        try await withFakeServer { server, _ in
            try server.createPod(name: "web", phase: "Running")
            let kubectl = try Kubectl(server: server)
            defer { kubectl.remove() }
            let deleted = try await kubectl.run(["delete", "pod", "web"])
            #expect(deleted.status == 0, "\(deleted.output)")
            #expect(deleted.output.contains("pod \"web\" deleted"), "\(deleted.output)")
            #expect(server.pod(name: "web") == nil)
            let request = try #require(server.deletions.last)
            #expect(request.resource == "pods" && request.name == "web" && request.propagationPolicy == "Background")

            let missing = try await kubectl.run(["delete", "pod", "web"])
            #expect(missing.status != 0)
            #expect(missing.output.contains("NotFound") || missing.output.contains("not found"), "\(missing.output)")
        }
    }
}
