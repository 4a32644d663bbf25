import BoxJSON
import Testing

/// The Go text/template subset behind `inspect -f`, checked against what
/// docker prints for the same templates.
@Suite("JSONTemplate")
struct TemplateTests {
    static let data = JSON.object([
        ("Id", .string("abc123")),
        ("Name", .string("/web")),
        ("State", .object([("Status", .string("exited")), ("Running", .bool(false)), ("Pid", .int(0)),
                           ("ExitCode", .int(3))])),
        ("Config", .object([
            ("Env", .strings(["PATH=/usr/bin:/bin", "A=1"])),
            ("Entrypoint", .null),
            ("Cmd", .strings(["sh", "-c", "exit 3"])),
            ("Labels", .object([("b", .string("2")), ("a", .string("1"))])),
        ])),
        ("Mounts", .array([
            .object([("Source", .string("/v1")), ("Destination", .string("/data")), ("RW", .bool(true))]),
            .object([("Source", .string("/v2")), ("Destination", .string("/etc/x")), ("RW", .bool(false))]),
        ])),
        ("NetworkSettings", .object([
            ("IPAddress", .string("10.88.0.2")),
            ("Ports", .object([("80/tcp", .array([.object([("HostIp", .string("0.0.0.0")), ("HostPort", .string("8080"))])]))])),
            ("Networks", .object([("bridge", .object([("IPAddress", .string("10.88.0.2"))]))])),
        ])),
        ("Ratio", .number(0.5)),
    ])

    func render(_ template: String) throws -> String {
        try JSONTemplate(template).render(Self.data)
    }

    @Test("values print as Go prints decoded JSON", arguments: [
        ("{{.State.Pid}}", "0"),
        ("{{.State.ExitCode}}", "3"),
        ("{{.Name}}", "/web"),
        ("{{.State.Running}}", "false"),
        ("{{.Config.Env}}", "[PATH=/usr/bin:/bin A=1]"),
        ("{{.Config.Labels}}", "map[a:1 b:2]"),
        ("{{.Config.Entrypoint}}", "<no value>"),
        ("{{.Mounts}}", "[map[Destination:/data RW:true Source:/v1] map[Destination:/etc/x RW:false Source:/v2]]"),
        ("{{.Ratio}}", "0.5"),
        ("{{.State.Status}} {{.State.ExitCode}}", "exited 3"),
        ("id=<{{.Id}}>!", "id=<abc123>!"),
        ("plain text", "plain text"),
        ("", ""),
    ])
    func values(_ template: String, _ expected: String) throws {
        #expect(try render(template) == expected)
    }

    @Test("{{.}} is the whole value, maps with sorted keys")
    func dot() throws {
        #expect(try JSONTemplate("{{.}}").render(.object([("z", .int(1)), ("a", .array([.null, .string("x")]))]))
            == "map[a:[<nil> x] z:1]")
        #expect(try JSONTemplate("{{.}}").render(.string("hi")) == "hi")
    }

    @Test("json prints compact JSON in the data's order")
    func json() throws {
        #expect(try render("{{json .State}}") == #"{"Status":"exited","Running":false,"Pid":0,"ExitCode":3}"#)
        #expect(try render("{{json .Config.Entrypoint}}") == "null")
        #expect(try render("{{.Config.Cmd | json}}") == #"["sh","-c","exit 3"]"#)
        #expect(try render("{{json .Name}}") == #""/web""#)
    }

    @Test("range over arrays and maps rebinds dot; variables; else")
    func range() throws {
        #expect(try render("{{range .Mounts}}{{.Source}}:{{.Destination}} {{end}}") == "/v1:/data /v2:/etc/x ")
        #expect(try render("{{range .Config.Env}}[{{.}}]{{end}}") == "[PATH=/usr/bin:/bin][A=1]")
        #expect(try render("{{range $k, $v := .Config.Labels}}{{$k}}={{$v}};{{end}}") == "a=1;b=2;")
        #expect(try render("{{range $i, $e := .Config.Cmd}}{{$i}}:{{$e}} {{end}}") == "0:sh 1:-c 2:exit 3 ")
        #expect(try render("{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}") == "10.88.0.2")
        #expect(try render("{{range $p, $conf := .NetworkSettings.Ports}}{{$p}} -> {{(index $conf 0).HostPort}}{{end}}")
            == "80/tcp -> 8080")
        #expect(try render("{{range .Config.Entrypoint}}x{{else}}none{{end}}") == "none")
        #expect(try render("{{range .Mounts}}{{$.Name}}{{end}}") == "/web/web")
        #expect(try render("{{$n := .Name}}{{range .Mounts}}{{$n}}{{end}}") == "/web/web")
    }

    @Test("index into maps and arrays")
    func index() throws {
        #expect(try render(#"{{index .Config.Labels "b"}}"#) == "2")
        #expect(try render(#"{{index .Config.Labels "zz"}}"#) == "<no value>")
        #expect(try render("{{index .Config.Cmd 0}}") == "sh")
        #expect(try render(#"{{index .NetworkSettings.Ports "80/tcp" 0 "HostPort"}}"#) == "8080")
        #expect(try render(#"{{(index .Mounts 1).Destination}}"#) == "/etc/x")
    }

    @Test("docker's functions and Go's builtins", arguments: [
        (#"{{upper .State.Status}}"#, "EXITED"),
        (#"{{.State.Status | upper}}"#, "EXITED"),
        (#"{{lower "ABC"}}"#, "abc"),
        (#"{{title "hello world"}}"#, "Hello World"),
        (#"{{join .Config.Env ","}}"#, "PATH=/usr/bin:/bin,A=1"),
        (#"{{split "a:b:c" ":"}}"#, "[a b c]"),
        (#"{{len .Config.Env}}"#, "2"),
        (#"{{len .Name}}"#, "4"),
        (#"{{pad .Id 1 2}}|"#, " abc123  |"),
        (#"{{truncate .Id 3}}"#, "abc"),
        (#"{{println .Name}}"#, "/web\n"),
        (#"{{print .Name 1 2}}"#, "/web1 2"),
        (#"{{printf "%s=%d" .Name .State.ExitCode}}"#, "/web=3"),
        (#"{{if .State.Running}}up{{else}}down{{end}}"#, "down"),
        (#"{{if eq .State.Status "exited"}}E{{end}}"#, "E"),
        (#"{{if eq .State.ExitCode 3}}three{{end}}"#, "three"),
        (#"{{if ne .State.ExitCode 0}}failed{{else if .State.Running}}up{{else}}ok{{end}}"#, "failed"),
        (#"{{if and .Name (not .State.Running)}}y{{end}}"#, "y"),
        (#"{{or .Config.Entrypoint .Config.Cmd}}"#, "[sh -c exit 3]"),
        (#"{{with .NetworkSettings}}{{.IPAddress}}{{end}}"#, "10.88.0.2"),
        (#"{{with .Config.Entrypoint}}x{{else}}no entrypoint{{end}}"#, "no entrypoint"),
        (#"{{if gt (len .Mounts) 1}}many{{end}}"#, "many"),
    ])
    func functions(_ template: String, _ expected: String) throws {
        #expect(try render(template) == expected)
    }

    @Test("trim markers and comments")
    func trimming() throws {
        #expect(try render("a  {{- .Name -}}  \n b") == "a/webb")
        #expect(try render("x{{/* a comment */}}y") == "xy")
        #expect(try render("x {{- /* c */ -}} y") == "xy")
        #expect(try render("{{-3}}") == "-3")
    }

    @Test("missing keys and bad fields are Go's execution errors, placed as Go places them", arguments: [
        ("{{.Nope}}", #"template: :1:2: executing "" at <.Nope>: map has no entry for key "Nope""#),
        ("{{.State.Nope}}", #"template: :1:8: executing "" at <.State.Nope>: map has no entry for key "Nope""#),
        ("{{.State.Pid.X}}", #"template: :1:8: executing "" at <.State.Pid.X>: can't evaluate field X in type json.Number"#),
        ("{{.Config.Entrypoint.X}}", #"template: :1:9: executing "" at <.Config.Entrypoint.X>: nil pointer evaluating interface {}.X"#),
        ("{{index .Config.Cmd 5}}", #"template: :1:2: executing "" at <index .Config.Cmd 5>: error calling index: index out of range: 5"#),
        ("{{upper}}", #"template: :1:2: executing "" at <upper>: wrong number of args for upper: want 1 got 0"#),
        ("{{upper .Mounts}}", #"template: :1:2: executing "" at <upper .Mounts>: wrong type for value; expected string; got []interface {}"#),
        ("{{range .Name}}{{end}}", #"template: :1:8: executing "" at <.Name>: range can't iterate over /web"#),
        ("a\n{{.Nope}}", #"template: :2:2: executing "" at <.Nope>: map has no entry for key "Nope""#),
        ("{{.Name 1}}", #"template: :1:2: executing "" at <.Name>: can't give argument to non-function .Name"#),
    ])
    func executionErrors(_ template: String, _ expected: String) throws {
        let parsed = try JSONTemplate(template)
        #expect(throws: TemplateError.self) { try parsed.render(Self.data) }
        do {
            _ = try parsed.render(Self.data)
        } catch {
            #expect(error.kind == .execute)
            #expect(error.description == expected)
        }
    }

    @Test("bad templates fail to parse with a position, never crash or hang", arguments: [
        ("{{.Name", "template: :1:0: unclosed action"),
        ("{{", "template: :1:0: unclosed action"),
        ("{{}}", "template: :1:2: missing value for command"),
        ("{{nope .Name}}", #"template: :1:2: function "nope" not defined"#),
        ("{{range .Mounts}}", "template: :1:17: unexpected EOF"),
        ("{{end}}", "template: :1:2: unexpected {{end}}"),
        ("{{else}}", "template: :1:2: unexpected {{else}}"),
        (#"{{"abc}}"#, "template: :1:2: unterminated quoted string"),
        ("{{.Name | }}", "template: :1:10: missing value for command"),
        ("{{$x}}", #"template: :1:2: undefined variable "$x""#),
        ("{{.Name #}}", "template: :1:8: bad character U+0023 '#'"),
        ("{{(.Name}}", "template: :1:2: unclosed left paren"),
        ("{{/* open", "template: :1:0: unclosed comment"),
        ("{{template \"x\"}}", "template: :1:2: {{template}} is not supported"),
        ("{{range}}{{end}}", "template: :1:7: missing value for range"),
    ])
    func parseErrors(_ template: String, _ expected: String) {
        do {
            _ = try JSONTemplate(template)
            Issue.record("\(template) parsed")
        } catch {
            #expect(error.kind == .parse)
            #expect(error.description == expected)
        }
    }

    @Test("deep nesting is refused, not a stack overflow")
    func depth() {
        let template = "{{" + String(repeating: "(", count: 5000) + ".Name" + String(repeating: ")", count: 5000) + "}}"
        #expect(throws: TemplateError.self) { try JSONTemplate(template) }
    }

    @Test("random byte soup never crashes")
    func soup() {
        let pieces = ["{{", "}}", ".", "Name", "range", "end", "else", "if", "(", ")", "|", "$x", ":=", "\"", "`", "-", " ",
                      "index", "json", "1", ",", "/*", "*/", "with", "$", "State", "\n"]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<3000 {
            let count = Int.random(in: 1...14, using: &generator)
            let template = (0..<count).map { _ in pieces.randomElement(using: &generator)! }.joined()
            if let parsed = try? JSONTemplate(template) { _ = try? parsed.render(Self.data) }
        }
    }
}
