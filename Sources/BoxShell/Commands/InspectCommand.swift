import ArgumentParser
import BoxJSON
import BoxRuntime

/// docker inspect (containers): JSON with docker's field names.
struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "inspect", abstract: "Show low-level information on containers as JSON.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Containers (name or id); or ns|mounts|cgroup|layers|proc CONTAINER for live kernel evidence.")
    var containers: [String]

    func run() throws {
        let runtime = try global.makeRuntime()
        if containers.count == 2, Evidence.kinds.contains(containers[0]) {
            return try Evidence.show(containers[0], containers[1], runtime: runtime)
        }
        var items: [JSON] = []
        var failure: RuntimeError?
        for reference in containers {
            do { items.append(ContainerInspector.json(try runtime.container(reference), root: runtime.root)) }
            catch let error as RuntimeError { failure = error }
        }
        Terminal.line(JSON.array(items).pretty())
        if let failure {
            Terminal.error(failure)
            throw ExitCode(1)
        }
    }
}
