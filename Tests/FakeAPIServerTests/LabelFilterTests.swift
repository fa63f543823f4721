@testable import FakeAPIServer
import Testing

/// The fake server's own label selectors, checked against the Kubernetes grammar and meaning
/// (not against kubelua's selectors, which tests check against this server).
@Suite struct LabelFilterTests {
    let labels = ["app": "web", "tier": "front", "example.com/owner": "ops", "replicas": "3", "empty": ""]

    @Test(arguments: [
        ("", true), ("app=web", true), ("app==web", true), ("app=api", false), ("missing=web", false),
        ("app!=web", false), ("app!=api", true), ("missing!=x", true),
        ("app in (api, web)", true), ("app in (api)", false), ("missing in (web)", false),
        ("app notin (web)", false), ("app notin (api,db)", true), ("missing notin (x)", true),
        ("app", true), ("missing", false), ("!app", false), ("!missing", true),
        ("app=web,tier=back", false), ("app=web,tier=front", true), ("example.com/owner=ops", true),
        (" app = web , tier ", true), ("app\t=\tweb", true),
        ("empty=", true), ("empty==", true), ("empty in ()", true), ("empty in (a,,b)", true), ("app in (web,)", true),
        ("app=", false), ("missing=", false), ("missing notin ()", true),
        ("replicas>2", true), ("replicas>3", false), ("replicas<4", true), ("app>1", false), ("missing<9", false),
    ])
    func selects(_ text: String, _ expected: Bool) throws {
        #expect(try LabelFilter(parsing: text).matches(labels) == expected)
    }

    @Test(arguments: [
        "app in web", "app in (a", "app in (a b)", "=x", "a b=c", "app=(x)", "!", "!app=web", "app=web,", ",app",
        "app=a=b", "in=x", "app notin", "-app=x", "app-=x", "app=-x", "app=x_", "Example.com/app=x",
        "a/b/c=x", "/app=x", "example.com/=x", "app>x", "app<", String(repeating: "k", count: 64),
        "app=" + String(repeating: "v", count: 64), "app,,tier",
    ])
    func refuses(_ text: String) {
        #expect(throws: StatusError.self) { try LabelFilter(parsing: text) }
    }

    @Test func aRefusalIsABadRequestNamingTheSelector() {
        let error = #expect(throws: StatusError.self) { try LabelFilter(parsing: "app in web") }
        #expect(error?.code == 400)
        #expect(error?.reason == "BadRequest")
        #expect(error?.message.contains("found 'web', expected: '('") == true)
        #expect(error?.message.contains("\"app in web\"") == true)
    }

    @Test func equalityIsMembershipOfOneValue() throws {
        #expect(try LabelFilter(parsing: "app=web") == LabelFilter(parsing: "app in (web)"))
        #expect(try LabelFilter(parsing: "app!=web") == LabelFilter(parsing: "app notin (web)"))
        #expect(try LabelFilter(parsing: "a=1,b") == LabelFilter([
            .init(key: "a", operator: .in, values: ["1"]), .init(key: "b", operator: .exists),
        ]))
    }

    @Test func aSelectorObjectReadsAsRequirements() throws {
        let object: [String: Any] = [
            "matchLabels": ["app": "web"],
            "matchExpressions": [["key": "tier", "operator": "NotIn", "values": ["cache"]], ["key": "owner", "operator": "Exists"]],
        ]
        let filter = try #require(LabelFilter(selectorObject: object))
        #expect(try filter == LabelFilter(parsing: "app=web,tier notin (cache),owner"))
        #expect(LabelFilter(selectorObject: [String: Any]())?.isEmpty == true)
        #expect(LabelFilter(selectorObject: nil) == nil)
        #expect(LabelFilter(selectorObject: ["matchExpressions": [["key": "a", "operator": "Gt", "values": ["1"]]]]) == nil)
    }
}
