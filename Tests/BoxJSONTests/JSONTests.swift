import BoxJSON
import Testing

@Suite("JSON")
struct JSONTests {
    @Test("round trip keeps key order and values", arguments: [
        #"{"b":1,"a":[true,false,null],"c":{"d":"x\ny\"z\\"}}"#,
        #"[]"#, #"{}"#, #"[1.5,-2,0,1e+21,"é한"]"#, #"{"k":"\u0001"}"#,
    ])
    func roundTrip(_ text: String) throws {
        let value = try JSON.parse(text)
        let again = try JSON.parse(value.serialized())
        #expect(value == again)
        #expect(try JSON.parse(value.pretty()) == value)
    }

    @Test("serialises compactly in order")
    func serialized() {
        let value = JSON.object([("z", .int(1)), ("a", .strings(["x"])), ("m", .bool(true)), ("n", .null)])
        #expect(value.serialized() == #"{"z":1,"a":["x"],"m":true,"n":null}"#)
        #expect(JSON.object([("a", .number(0.5))]).serialized() == #"{"a":0.5}"#)
    }

    @Test("pretty output is indented like docker inspect")
    func pretty() {
        let value = JSON.array([.object([("Id", .string("abc")), ("Args", .array([]))])])
        #expect(value.pretty() == "[\n    {\n        \"Id\": \"abc\",\n        \"Args\": []\n    }\n]")
    }

    @Test("escapes and unicode", arguments: [
        (#""\u00e9""#, "é"), (#""\ud83d\ude00""#, "😀"), (#""a\/b""#, "a/b"), (#""\t""#, "\t"),
    ])
    func escapes(_ text: String, _ expected: String) throws {
        #expect(try JSON.parse(text).stringValue == expected)
    }

    @Test("errors name line and column", arguments: [
        ("{\n  \"a\": tru\n}", 2, 8), ("[1,]", 1, 4), ("{\"a\" 1}", 1, 6), ("", 1, 1), ("[01]", 1, 4),
        ("\"abc", 1, 5), ("[1] x", 1, 5), ("{\"a\":\"\u{1}\"}", 1, 7),
    ])
    func errors(_ text: String, _ line: Int, _ column: Int) {
        #expect {
            _ = try JSON.parse(text)
        } throws: { error in
            guard let error = error as? JSONParseError else { return false }
            return error.line == line && error.column == column
        }
    }

    @Test("accessors")
    func accessors() throws {
        let value = try JSON.parse(#"{"n":3,"f":2.5,"s":"x","a":["p","q",1],"b":false}"#)
        #expect(value["n"]?.intValue == 3)
        #expect(value["f"]?.intValue == nil)
        #expect(value["f"]?.doubleValue == 2.5)
        #expect(value["s"]?.stringValue == "x")
        #expect(value["a"]?.stringArray == ["p", "q"])
        #expect(value["b"]?.boolValue == false)
        #expect(value["missing"] == nil)
        #expect(value.setting("n", .int(4))["n"]?.intValue == 4)
        #expect(value.setting("new", .null).objectValue?.last?.0 == "new")
    }

    @Test("deep nesting is refused, not a stack overflow")
    func depth() {
        let text = String(repeating: "[", count: 100_000)
        #expect(throws: JSONParseError.self) { _ = try JSON.parse(text) }
    }
}
