/// Narration strings: the numbered stage lines `run` prints.
enum NarrationStrings: StringTable {
    static let english: [MessageKey: String] = [
        .stageImage: "image", .stageCgroup: "cgroup", .stageClone: "clone", .stageRootfs: "rootfs",
        .stagePivot: "pivot", .stageNamespaces: "ns", .stageCaps: "caps", .stageExec: "exec",
        .stageExit: "exit", .stageCleanup: "cleanup",

        .narrImage: "{reference} → {count} read-only {count|layer|layers} ({id}, {size})",
        .narrLayer: "layer {id} at {path}",
        .narrCreated: "container {id} \"{name}\": state in {directory}",
        .narrCgroup: "{version} {group}: {limits}",
        .narrCgroupNone: "created, no limits set",
        .narrCgroupFile: "{path} = {value}",
        .narrClone: "PID {pid} on the host is PID 1 inside",
        .narrCloneNamespaces: "in new {namespaces} namespaces",
        .narrCloneDeep: "clone(CLONE_NEWPID|CLONE_NEWNS|CLONE_NEWUTS|CLONE_NEWIPC|CLONE_NEWNET) in boxlab-shim; pid written to cgroup.procs",
        .narrNamespaces: "{differing} of {total} namespaces differ from the host's (from /proc/PID/ns)",
        .narrNamespaceLine: "host {kind}:[{host}] → container {kind}:[{inside}]",
        .narrRootfs: "overlay mounted on {merged}",
        .narrRootfsLayers: "lower={lower} upper={upper}",
        .narrRootfsMissing: "overlay mounted (not visible in mountinfo)",
        .narrMount: "{type} on {path} ({options})",
        .narrPivot: "root is now the overlay; old root detached; /proc mounted fresh",
        .narrPivotHostname: "hostname {hostname}",
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

    static let korean: [MessageKey: String] = [
        .stageImage: "이미지", .stageCgroup: "cgroup", .stageClone: "clone", .stageRootfs: "루트fs",
        .stagePivot: "피벗", .stageNamespaces: "네임스페이스", .stageCaps: "권한", .stageExec: "실행",
        .stageExit: "종료", .stageCleanup: "정리",

        .narrImage: "{reference} → 읽기 전용 레이어 {count}개 ({id}, {size})",
        .narrLayer: "레이어 {id} 위치 {path}",
        .narrCreated: "컨테이너 {id} \"{name}\": 상태 저장 위치 {directory}",
        .narrCgroup: "{version} {group}: {limits}",
        .narrCgroupNone: "생성됨, 설정된 제한 없음",
        .narrCgroupFile: "{path} = {value}",
        .narrClone: "호스트의 PID {pid} = 컨테이너 안의 PID 1",
        .narrCloneNamespaces: "새 네임스페이스: {namespaces}",
        .narrCloneDeep: "boxlab-shim에서 clone(CLONE_NEWPID|CLONE_NEWNS|CLONE_NEWUTS|CLONE_NEWIPC|CLONE_NEWNET); pid를 cgroup.procs에 기록",
        .narrNamespaces: "네임스페이스 {total}개 중 {differing}개가 호스트와 다름 (/proc/PID/ns 기준)",
        .narrNamespaceLine: "호스트 {kind}:[{host}] → 컨테이너 {kind}:[{inside}]",
        .narrRootfs: "{merged}에 오버레이 마운트됨",
        .narrRootfsLayers: "lower={lower} upper={upper}",
        .narrRootfsMissing: "오버레이 마운트됨 (mountinfo에 보이지 않음)",
        .narrMount: "{path}에 {type} ({options})",
        .narrPivot: "루트가 오버레이로 바뀜; 이전 루트 분리; /proc 새로 마운트",
        .narrPivotHostname: "호스트명 {hostname}",
        .narrPivotDeep: "컨테이너의 / = {type} ({options})",
        .narrCaps: "CapEff={effective} NoNewPrivs={nnp} (도커 기본 권한 집합)",
        .narrCapsDeep: "CapBnd={bounding}; prctl(PR_CAPBSET_DROP), capset(), prctl(PR_SET_NO_NEW_PRIVS)",
        .narrExec: "{argv}   (호스트와 커널 공유: {kernel})",
        .narrExit: "PID 1 종료, 종료 코드 {code}",
        .narrExitSignal: " (시그널 {signal})",
        .narrExitOOM: " — 메모리 제한을 넘어 OOM 킬러가 종료함",
        .narrCleanup: "cgroup과 컨테이너 파일 삭제됨",
        .narrRemoved: "삭제: {path}",
        .narrStopKilled: "{container}: SIGTERM 후 {seconds}초 안에 종료하지 않아 SIGKILL을 보냄",
        .narrInterrupt: "PID 1이 SIGINT에 종료하지 않음 (핸들러 없는 PID 1은 무시함); 컨테이너를 중지함",
    ]
}

extension MessageKey {
    static let stageImage: MessageKey = "stage.image"
    static let stageCgroup: MessageKey = "stage.cgroup"
    static let stageClone: MessageKey = "stage.clone"
    static let stageRootfs: MessageKey = "stage.rootfs"
    static let stagePivot: MessageKey = "stage.pivot"
    static let stageNamespaces: MessageKey = "stage.ns"
    static let stageCaps: MessageKey = "stage.caps"
    static let stageExec: MessageKey = "stage.exec"
    static let stageExit: MessageKey = "stage.exit"
    static let stageCleanup: MessageKey = "stage.cleanup"
    static let narrImage: MessageKey = "narr.image"
    static let narrLayer: MessageKey = "narr.layer"
    static let narrCreated: MessageKey = "narr.created"
    static let narrCgroup: MessageKey = "narr.cgroup"
    static let narrCgroupNone: MessageKey = "narr.cgroup.none"
    static let narrCgroupFile: MessageKey = "narr.cgroup.file"
    static let narrClone: MessageKey = "narr.clone"
    static let narrCloneNamespaces: MessageKey = "narr.clone.namespaces"
    static let narrCloneDeep: MessageKey = "narr.clone.deep"
    static let narrNamespaces: MessageKey = "narr.ns"
    static let narrNamespaceLine: MessageKey = "narr.ns.line"
    static let narrRootfs: MessageKey = "narr.rootfs"
    static let narrRootfsLayers: MessageKey = "narr.rootfs.layers"
    static let narrRootfsMissing: MessageKey = "narr.rootfs.missing"
    static let narrMount: MessageKey = "narr.mount"
    static let narrPivot: MessageKey = "narr.pivot"
    static let narrPivotHostname: MessageKey = "narr.pivot.hostname"
    static let narrPivotDeep: MessageKey = "narr.pivot.deep"
    static let narrCaps: MessageKey = "narr.caps"
    static let narrCapsDeep: MessageKey = "narr.caps.deep"
    static let narrExec: MessageKey = "narr.exec"
    static let narrExit: MessageKey = "narr.exit"
    static let narrExitSignal: MessageKey = "narr.exit.signal"
    static let narrExitOOM: MessageKey = "narr.exit.oom"
    static let narrCleanup: MessageKey = "narr.cleanup"
    static let narrRemoved: MessageKey = "narr.removed"
    static let narrStopKilled: MessageKey = "narr.stop.killed"
    static let narrInterrupt: MessageKey = "narr.interrupt"
}
