import Testing
@testable import Kube

@Test func kubeModuleLinks() { #expect(Kube.self == Kube.self) }
