/// Every user-facing string boxlab shows, by key. Each key must exist in
/// both catalogues (a test checks it).
public enum MessageKey: String, CaseIterable, Sendable {
    // Stage labels of the narration.
    case stageImage = "stage.image", stageCgroup = "stage.cgroup", stageClone = "stage.clone"
    case stageRootfs = "stage.rootfs", stagePivot = "stage.pivot", stageNamespaces = "stage.ns"
    case stageCaps = "stage.caps", stageExec = "stage.exec", stageExit = "stage.exit", stageCleanup = "stage.cleanup"

    // Narration lines.
    case narrImage = "narr.image", narrLayer = "narr.layer", narrCreated = "narr.created"
    case narrCgroup = "narr.cgroup", narrCgroupNone = "narr.cgroup.none", narrCgroupFile = "narr.cgroup.file"
    case narrClone = "narr.clone", narrCloneDeep = "narr.clone.deep"
    case narrNamespaces = "narr.ns", narrNamespaceLine = "narr.ns.line"
    case narrRootfs = "narr.rootfs", narrRootfsMissing = "narr.rootfs.missing", narrMount = "narr.mount"
    case narrPivot = "narr.pivot", narrPivotDeep = "narr.pivot.deep"
    case narrCaps = "narr.caps", narrCapsDeep = "narr.caps.deep"
    case narrExec = "narr.exec"
    case narrExit = "narr.exit", narrExitSignal = "narr.exit.signal", narrExitOOM = "narr.exit.oom"
    case narrCleanup = "narr.cleanup", narrRemoved = "narr.removed"
    case narrStopKilled = "narr.stop.killed", narrInterrupt = "narr.interrupt"
}
