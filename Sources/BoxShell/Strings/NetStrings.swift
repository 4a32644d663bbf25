import BoxNet

/// Networking: the `net` narration line, `inspect net`, `port`, and the
/// network errors (English from BoxNet's NetError, like ErrorStrings).
enum NetStrings: StringTable {
    static let english: [MessageKey: String] = .init(templates: NetError.englishTemplates).merging([
        .stageNet: "net",
        .narrNetBridge: "eth0 {address} inside ↔ {veth} on the host, a port of bridge {bridge} ({gateway}); default route via {gateway}",
        .narrNetBridgeDeep: "one RTM_NEWLINK made the veth pair with eth0 already in the container's namespace (IFLA_NET_NS_PID); "
            + "RTM_NEWADDR and RTM_NEWROUTE went over a netlink socket opened there (setns on one thread); eth0 MAC {mac}",
        .narrNetPort: "published {port} (userspace proxy; no NAT, no forwarding)",
        .narrNetNone: "none: its own network namespace with only loopback",
        .narrNetNoneHint: "--network bridge, or -p, gives it an address on the bridge",
        .narrNetHost: "host: no network namespace of its own — the host's devices, addresses and ports",
        .netInspectMode: "network {mode}: container {inside}, host {host}",
        .netInspectInside: "inside the container (netlink in /proc/{pid}/ns/net):",
        .netInspectRoutes: "routes inside:",
        .netInspectHost: "on the host (boxlab's network namespace):",
        .netInspectBridgePorts: "ports of bridge {bridge}: {ports}",
        .netInspectPorts: "published ports (userspace proxy, pid {pid}):",
        .netNoPublicPort: "No public port '{port}' published for {container}",
    ]) { first, _ in first }

    static let korean: [MessageKey: String] = [
        "error.net.netlink": "네트워크 설정 실패: {request} {target}: {reason}",
        "error.net.system": "네트워크 설정 실패: {detail}",
        "error.net.subnet": "잘못된 서브넷 \"{value}\" (BOXLAB_SUBNET): {reason}",
        "error.net.overlap": "컨테이너 서브넷 {subnet}이(가) 호스트의 {device} 경로 {route}와 겹침; "
            + "BOXLAB_SUBNET=A.B.C.D/N으로 비어 있는 서브넷을 고르기",
        "error.net.subnetChanged": "컨테이너 {count}개가 {old}의 주소를 쓰는 중에 BOXLAB_SUBNET이 {old}에서 {new}(으)로 바뀜; "
            + "먼저 그 컨테이너들을 삭제(rm)하거나 이전 서브넷을 유지하기",
        "error.net.exhausted": "{subnet}에 남은 주소가 없음: 모든 주소가 컨테이너에 할당됨",
        "error.net.mode": "잘못된 네트워크 \"{mode}\": bridge, none, host 중 하나를 쓰기",
        "error.net.port": "잘못된 포트 공개 지정 \"{spec}\": {reason}",
        "error.net.portsNeedBridge": "-p는 브리지를 통해 포트를 공개함; --network {mode}에서는 아무 일도 하지 않음",
        "error.net.portAllocated": "{address}:{port} 바인드 실패: 이미 컨테이너 \"{container}\" ({id})가 쓰는 포트임",
        "error.net.portBusy": "{address}:{port} 바인드 실패: 호스트의 다른 프로그램이 쓰는 포트임 ({reason})",
        "error.net.proxy": "포트 프록시 실패: {detail}",
        .stageNet: "네트워크",
        .narrNetBridge: "컨테이너 안 eth0 {address} ↔ 호스트의 {veth} (브리지 {bridge}의 포트, {gateway}); 기본 경로는 {gateway}",
        .narrNetBridgeDeep: "RTM_NEWLINK 한 번으로 veth 쌍을 만들면서 eth0을 바로 컨테이너 네임스페이스에 둠 (IFLA_NET_NS_PID); "
            + "RTM_NEWADDR와 RTM_NEWROUTE는 그 안에서 연 netlink 소켓으로 보냄 (한 스레드만 setns); eth0 MAC {mac}",
        .narrNetPort: "{port} 공개 (사용자 공간 프록시; NAT도 포워딩도 없음)",
        .narrNetNone: "none: 루프백만 있는 자기만의 네트워크 네임스페이스",
        .narrNetNoneHint: "--network bridge나 -p를 주면 브리지의 주소를 받음",
        .narrNetHost: "host: 자기 네트워크 네임스페이스 없음 — 호스트의 장치, 주소, 포트를 그대로 씀",
        .netInspectMode: "네트워크 {mode}: 컨테이너 {inside}, 호스트 {host}",
        .netInspectInside: "컨테이너 안 (/proc/{pid}/ns/net에서 netlink로 읽음):",
        .netInspectRoutes: "안쪽 경로:",
        .netInspectHost: "호스트 쪽 (boxlab의 네트워크 네임스페이스):",
        .netInspectBridgePorts: "브리지 {bridge}의 포트: {ports}",
        .netInspectPorts: "공개한 포트 (사용자 공간 프록시, pid {pid}):",
        .netNoPublicPort: "{container}에 공개된 포트 '{port}'가 없음",
    ]
}

extension MessageKey {
    static let stageNet: MessageKey = "stage.net"
    static let narrNetBridge: MessageKey = "narr.net.bridge"
    static let narrNetBridgeDeep: MessageKey = "narr.net.bridge.deep"
    static let narrNetPort: MessageKey = "narr.net.port"
    static let narrNetNone: MessageKey = "narr.net.none"
    static let narrNetNoneHint: MessageKey = "narr.net.none.hint"
    static let narrNetHost: MessageKey = "narr.net.host"
    static let netInspectMode: MessageKey = "net.inspect.mode"
    static let netInspectInside: MessageKey = "net.inspect.inside"
    static let netInspectRoutes: MessageKey = "net.inspect.routes"
    static let netInspectHost: MessageKey = "net.inspect.host"
    static let netInspectBridgePorts: MessageKey = "net.inspect.bridgePorts"
    static let netInspectPorts: MessageKey = "net.inspect.ports"
    static let netNoPublicPort: MessageKey = "net.port.none"
}
