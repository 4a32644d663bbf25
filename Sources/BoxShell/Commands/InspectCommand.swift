import ArgumentParser
import BoxJSON
import BoxRuntime

/// docker inspect (containers): JSON with docker's field names, or each
/// container through a Go template (-f), as docker's fallback on the JSON
/// runs it (missing keys are errors; a null prints <no value>).
struct InspectCommand: ContextCommand {
    static let configuration = CommandConfiguration(commandName: "inspect", abstract: "Show low-level information on containers as JSON.")
    @OptionGroup var global: GlobalOptions
    @Option(name: .shortAndLong, help: ArgumentHelp(
        "Format the output with a Go template ('{{.State.Pid}}', '{{json .Config}}', '{{range .Mounts}}…{{end}}'), or 'json'.",
        discussion: "boxlab runs the template on the JSON (docker's fallback path): a null field prints <no value> where docker's own types may print [] or <nil>."))
    var format: String?
    @Argument(help: "Containers (name or id); or ns|mounts|cgroup|layers|proc CONTAINER for live kernel evidence.")
    var containers: [String]

    func run(context: CommandContext) throws {
        let runtime = try context.makeRuntime()
        if containers.count == 2, Evidence.kinds.contains(containers[0]) {
            return try Evidence.show(containers[0], containers[1], runtime: runtime, text: context.text)
        }
        let text = context.text
        var template: JSONTemplate?
        if let format, !format.isEmpty, format != "json" {
            do { template = try JSONTemplate(format) } catch {
                // docker: a template that does not parse is a usage error (64), before any lookup.
                Terminal.error(Self.describe(error, text))
                throw ExitCode(64)
            }
        }
        var items: [JSON] = []
        var output = ""
        var failures: [String] = []
        for reference in containers {
            do {
                let item = ContainerInspector.json(try runtime.container(reference), root: runtime.root)
                if let template { output += try template.render(item) + "\n" } else { items.append(item) }
            } catch let error as RuntimeError {
                failures.append(text(error))
            } catch let error as TemplateError {
                failures.append(Self.describe(error, text))
            }
        }
        if template != nil {
            Terminal.write(output.isEmpty ? "\n" : output)
        } else {
            Terminal.line(format == "json" ? JSON.array(items).serialized() : JSON.array(items).pretty())
        }
        if !failures.isEmpty {
            for failure in failures { Terminal.error(failure) }
            throw ExitCode(1)
        }
    }

    static func describe(_ error: TemplateError, _ text: Localizer) -> String {
        if let keyword = error.unsupported { return text(.inspectTemplateUnsupported, ["keyword": keyword]) }
        return text(.inspectTemplateError, ["detail": error.description])
    }
}
