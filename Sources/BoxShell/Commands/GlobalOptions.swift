import ArgumentParser

/// Options every verb takes: where state lives and how much to narrate
/// (laid over the context by `CommandContext.applying`).
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: "State directory (default $BOXLAB_ROOT or \(CommandContext.defaultRoot)).")
    var root: String?

    @Option(name: .long, help: "Narration: quiet (docker's output only), normal, or deep.")
    var narrate: NarrationLevel?

    /// docker takes global flags before the verb (`boxlab --root X ps`);
    /// ArgumentParser wants them on the subcommand, so they are moved
    /// after the verb before parsing.
    static func movingLeadingGlobals(_ arguments: [String]) -> [String] {
        var globals: [String] = []
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            if argument == "--root" || argument == "--narrate" {
                globals.append(argument)
                if index + 1 < arguments.count { globals.append(arguments[index + 1]) }
                index += 2
            } else if argument.hasPrefix("--root=") || argument.hasPrefix("--narrate=") {
                globals.append(argument)
                index += 1
            } else {
                break
            }
        }
        guard !globals.isEmpty, index < arguments.count else { return arguments }
        return [arguments[index]] + globals + arguments[(index + 1)...]
    }
}
