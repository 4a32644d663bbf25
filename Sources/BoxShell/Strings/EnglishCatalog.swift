/// English strings. Placeholders are `{name}`.
enum EnglishCatalog {
    static let messages: [MessageKey: String] = [
        .stageImage: "image", .stageCgroup: "cgroup", .stageClone: "clone", .stageRootfs: "rootfs",
        .stagePivot: "pivot", .stageNamespaces: "ns", .stageCaps: "caps", .stageExec: "exec",
        .stageExit: "exit", .stageCleanup: "cleanup",

        .narrImage: "{reference} → {count} read-only layer(s) ({id}, {size})",
        .narrLayer: "layer {id} at {path}",
        .narrCreated: "container {id} \"{name}\": state in {directory}",
        .narrCgroup: "{version} {group}: {limits}",
        .narrCgroupNone: "created, no limits set",
        .narrCgroupFile: "{path} = {value}",
        .narrClone: "PID {pid} on the host is PID 1 inside; new {namespaces} namespaces",
        .narrCloneDeep: "clone(CLONE_NEWPID|CLONE_NEWNS|CLONE_NEWUTS|CLONE_NEWIPC|CLONE_NEWNET) in boxlab-shim; pid written to cgroup.procs",
        .narrNamespaces: "{differing} of {total} namespaces differ from the host's (from /proc/PID/ns)",
        .narrNamespaceLine: "host {kind}:[{host}] → container {kind}:[{inside}]",
        .narrRootfs: "overlay: lower={lower} upper={upper} → {merged}",
        .narrRootfsMissing: "overlay mounted (not visible in mountinfo)",
        .narrMount: "{type} on {path} ({options})",
        .narrPivot: "root is now the overlay; old root detached; /proc mounted fresh; hostname {hostname}",
        .narrPivotDeep: "container's / = {type} ({options})",
        .narrCaps: "CapEff={effective} NoNewPrivs={nnp} (docker's default set)",
        .narrCapsDeep: "CapBnd={bounding}; prctl(PR_CAPBSET_DROP), capset(), prctl(PR_SET_NO_NEW_PRIVS)",
        .narrExec: "{argv}   (kernel shared with the host: {kernel})",
        .narrExit: "PID 1 ended with exit code {code}",
        .narrExitSignal: " (signal {signal})",
        .narrExitOOM: " — killed by the OOM killer (memory limit)",
        .narrCleanup: "cgroup and container files removed",
        .narrRemoved: "removed {path}",
        .narrStopKilled: "{container}: no exit after SIGTERM within {seconds}s; sent SIGKILL",
        .narrInterrupt: "PID 1 did not exit on SIGINT (a PID 1 without a handler ignores it); stopping the container",
    ]
}
