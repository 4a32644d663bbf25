import BoxCgroups
import BoxNet
import BoxOS

/// Everything that can go wrong in a runtime operation, each case saying
/// what and why in one line (docker's wording where docker has one).
public enum RuntimeError: LocalizedFailure, Equatable {
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
    /// USER / --user names a user or group the container's files lack.
    case noSuchUser(ContainerUser.Missing, image: String)
    /// Bridge, veth, addresses, ports: the key and template come from BoxNet.
    case network(NetError)

    public var key: String { parts.key }
    public var values: [String: String] { parts.values }

    public var cause: (any Error)? {
        switch self {
        case let .system(error): return error
        case let .network(error): return error
        default: return nil
        }
    }

    /// The message as a key and its values, so the shell can show it in the
    /// student's language.
    private var parts: (key: String, values: [String: String]) {
        switch self {
        case let .invalidArgument(flag, value, reason):
            return ("error.argument", ["value": value, "flag": flag, "reason": reason])
        case let .noSuchContainer(ref): return ("error.noSuchContainer", ["ref": ref])
        case let .ambiguousContainer(ref): return ("error.ambiguous", ["ref": ref])
        case let .nameInUse(name, id): return ("error.nameInUse", ["name": name, "id": id])
        case let .invalidName(name): return ("error.invalidName", ["name": name])
        case let .wrongState(id, operation, state):
            return ("error.wrongState", ["id": String(id.prefix(12)), "operation": operation, "state": state])
        case let .runningContainer(id): return ("error.running", ["id": String(id.prefix(12))])
        case let .system(error): return ("error.system", ["detail": error.description])
        case let .image(message): return ("error.image", ["detail": message])
        case let .shim(stage, step, errno, detail):
            var reason = detail
            if errno != 0 {
                reason += (reason.isEmpty ? "" : " ") + "\(step): " + SysError(stage: stage, call: step, errno: errno).reason
            }
            return ("error.shim", ["stage": stage, "step": step, "reason": reason])
        case let .commandNotFound(command): return ("error.notFound", ["command": command])
        case let .commandNotExecutable(command, errno):
            return ("error.notExecutable", ["command": command, "errno": Errno.name(errno)])
        case let .corruptState(path, reason): return ("error.corruptState", ["path": path, "reason": reason])
        case .aborted: return ("error.aborted", [:])
        case let .noSuchUser(.user(name), image): return ("error.noSuchUser", ["user": name, "image": image])
        case let .noSuchUser(.group(name), image): return ("error.noSuchGroup", ["group": name, "image": image])
        case let .network(error): return (error.key, error.values)
        }
    }

    /// English templates of every message but the network ones (NetError's).
    public static let englishTemplates: [String: String] = CgroupLimitError.englishTemplates.merging([
        "error.noSuchContainer": "No such container: {ref}",
        "error.ambiguous": "multiple containers match the prefix \"{ref}\"; give more of the id",
        "error.nameInUse": "Conflict. The container name \"/{name}\" is already in use by container \"{id}\". "
            + "You have to remove (or rename) that container to be able to reuse that name.",
        "error.invalidName": "Invalid container name ({name}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed",
        "error.wrongState": "cannot {operation} container {id}: container is {state}",
        "error.running": "cannot remove container {id}: container is running: stop the container before removing or force remove (rm -f)",
        "error.system": "{detail}",
        "error.image": "{detail}",
        "error.shim": "container set-up failed at stage {stage} ({step}): {reason}",
        "error.notFound": "exec: \"{command}\": executable file not found in $PATH",
        "error.notExecutable": "exec: \"{command}\": permission denied ({errno})",
        "error.corruptState": "state file {path} is unreadable: {reason}",
        "error.aborted": "container creation aborted",
        "error.noSuchUser": "unable to find user {user}: no matching entries in passwd file (of the container from image {image})",
        "error.noSuchGroup": "unable to find group {group}: no matching entries in group file (of the container from image {image})",
    ]) { first, _ in first }

    public var englishTemplate: String {
        if case let .network(error) = self { return error.englishTemplate }
        return Self.englishTemplates[key] ?? key
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
