/// A typed predicate on live state. None runs shell code on the host: each
/// reads the runtime's state, the image store, a file through the
/// container's root, or the output the student's last command printed.
public struct Check: Sendable {
    public enum Kind: Sendable, Equatable {
        /// A container by name: exists (or `absent`), its state, exit code, OOM kill, limits.
        case container(name: String, state: String?, exitCode: Int?, oomKilled: Bool?,
                       memory: String?, pidsLimit: Int?, minimumCount: Int?)
        /// How many containers were made from an image (e.g. "many identical containers").
        case containersOf(image: String, atLeast: Int, running: Bool)
        /// An image: exists, its layer count, a file in it, its history.
        case image(reference: String, exists: Bool, layers: Int?, hasFile: String?, historyContains: String?)
        /// A file seen through a running or stopped container's root, or in a named volume.
        case file(container: String?, volume: String?, path: String, contains: String?)
        /// The last command's output matches a regular expression.
        case output(matches: String)
        /// The last command's exit status.
        case exitStatus(Int)
        /// A namespace of a running container is (or is not) the host's.
        case namespace(container: String, kind: String, differs: Bool)
        /// A TCP port on the host's loopback accepts a connection.
        case port(Int)
        /// The student's `answer` equals what the simulation computes
        /// (density: how many fit; kernel: yes/no; crash: how many survive).
        case simAnswer(question: String, kind: String?, hostMem: String?, guest: String?, event: String?)
    }

    public var kind: Kind
    public var line: Int
    public var column: Int

    /// The check names a teacher can write, for the validator's messages.
    public static let names = ["container", "containers_of", "image", "file", "output", "exit_status", "namespace", "port", "sim_answer"]
}
