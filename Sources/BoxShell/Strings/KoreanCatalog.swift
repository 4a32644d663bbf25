/// 한국어 문자열. 자리표시자는 `{name}` 형식.
enum KoreanCatalog {
    static let messages: [MessageKey: String] = [
        .stageImage: "이미지", .stageCgroup: "cgroup", .stageClone: "clone", .stageRootfs: "루트fs",
        .stagePivot: "피벗", .stageNamespaces: "네임스페이스", .stageCaps: "권한", .stageExec: "실행",
        .stageExit: "종료", .stageCleanup: "정리",

        .narrImage: "{reference} → 읽기 전용 레이어 {count}개 ({id}, {size})",
        .narrLayer: "레이어 {id} 위치 {path}",
        .narrCreated: "컨테이너 {id} \"{name}\": 상태 저장 위치 {directory}",
        .narrCgroup: "{version} {group}: {limits}",
        .narrCgroupNone: "생성됨, 설정된 제한 없음",
        .narrCgroupFile: "{path} = {value}",
        .narrClone: "호스트의 PID {pid}가 컨테이너 안에서는 PID 1; 새 {namespaces} 네임스페이스",
        .narrCloneDeep: "boxlab-shim에서 clone(CLONE_NEWPID|CLONE_NEWNS|CLONE_NEWUTS|CLONE_NEWIPC|CLONE_NEWNET); pid를 cgroup.procs에 기록",
        .narrNamespaces: "네임스페이스 {total}개 중 {differing}개가 호스트와 다름 (/proc/PID/ns 기준)",
        .narrNamespaceLine: "호스트 {kind}:[{host}] → 컨테이너 {kind}:[{inside}]",
        .narrRootfs: "오버레이: lower={lower} upper={upper} → {merged}",
        .narrRootfsMissing: "오버레이 마운트됨 (mountinfo에 보이지 않음)",
        .narrMount: "{path}에 {type} ({options})",
        .narrPivot: "루트가 오버레이로 바뀜; 이전 루트 분리; /proc 새로 마운트; 호스트명 {hostname}",
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
