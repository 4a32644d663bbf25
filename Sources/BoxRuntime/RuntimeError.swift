import BoxOS

/// Everything that can go wrong in a runtime operation, each case saying
/// what and why in one line (docker's wording where docker has one).
public enum RuntimeError: Error, CustomStringConvertible, Equatable {
    case invalidArgument(flag: String, value: String, reason: String)
    case noSuchContainer(String)
    case ambiguousContainer(String)
    case nameInUse(name: String, id: String)
    case invalidName(String)
    case wrongState(id: String, operation: String, state: String)
    case runningContainer(id: String)
    case system(SysError)
    case image(String)
    case shim(stage: String, step: String, errno: Int32, detail: String)
    case commandNotFound(String)
    case commandNotExecutable(String, errno: Int32)
    case corruptState(path: String, reason: String)
    case aborted

    public var description: String {
        switch self {
        case let .invalidArgument(flag, value, reason):
            return "invalid argument \"\(value)\" for \"\(flag)\" flag: \(reason)"
        case let .noSuchContainer(ref):
            return "No such container: \(ref)"
        case let .ambiguousContainer(ref):
            return "multiple containers match the prefix \"\(ref)\"; give more of the id"
        case let .nameInUse(name, id):
            return "Conflict. The container name \"/\(name)\" is already in use by container \"\(id)\". "
                + "You have to remove (or rename) that container to be able to reuse that name."
        case let .invalidName(name):
            return "Invalid container name (\(name)), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed"
        case let .wrongState(id, operation, state):
            return "cannot \(operation) container \(id.prefix(12)): container is \(state)"
        case let .runningContainer(id):
            return "cannot remove container \(id.prefix(12)): container is running: "
                + "stop the container before removing or force remove (rm -f)"
        case let .system(error):
            return error.description
        case let .image(message):
            return message
        case let .shim(stage, step, errno, detail):
            let reason = errno == 0 ? "" : ": \(SysError(stage: stage, call: step, errno: errno).description)"
            return "container set-up failed at stage \(stage) (\(step))\(detail.isEmpty ? "" : " " + detail)\(reason.isEmpty ? "" : reason.replacingFirst("\(stage): ", with: ""))"
        case let .commandNotFound(command):
            return "exec: \"\(command)\": executable file not found in $PATH"
        case let .commandNotExecutable(command, errno):
            return "exec: \"\(command)\": permission denied (\(Errno.name(errno)))"
        case let .corruptState(path, reason):
            return "state file \(path) is unreadable: \(reason)"
        case .aborted:
            return "container creation aborted"
        }
    }

    /// Docker's exit codes: 125 boxlab failed, 126 not executable, 127 not found.
    public var exitCode: Int32 {
        switch self {
        case .commandNotFound: return 127
        case .commandNotExecutable: return 126
        default: return 125
        }
    }
}

extension String {
    func replacingFirst(_ target: String, with replacement: String) -> String {
        guard let range = range(of: target) else { return self }
        return String(self[..<range.lowerBound]) + replacement + String(self[range.upperBound...])
    }

    /// Substring search without Foundation.
    func range(of target: String) -> Range<String.Index>? {
        guard !target.isEmpty else { return nil }
        var index = startIndex
        while index < endIndex {
            if self[index...].hasPrefix(target) {
                return index..<self.index(index, offsetBy: target.count)
            }
            index = self.index(after: index)
        }
        return nil
    }
}
