/// The simulation's strings: `compare`, `sim …`, `vm …`, `unikernel run`.
/// Every simulated output says so ("simulated" / "시뮬레이션"). Table cells
/// stay within 10 display columns so `compare` fits 80 columns in both
/// languages (Hangul counts two).
enum SimStrings: StringTable {
    static let english: [MessageKey: String] = [
        .simLabel: "[simulated]",
        .simYes: "yes", .simNo: "no",
        .simMeasured: "MEASURED", .simSimulated: "simulated",
        "sim.ago.s": "{n}s ago", "sim.ago.m": "{n} min ago", "sim.ago.h": "{n} h ago", "sim.ago.d": "{n} days ago",

        "sim.kind.process": "process", "sim.kind.container": "container", "sim.kind.microvm": "microVM",
        "sim.kind.vm": "VM", "sim.kind.unikernel": "unikernel",

        "sim.stage.spawn": "spawn", "sim.stage.vmm": "vmm", "sim.stage.firmware": "firmware",
        "sim.stage.bootloader": "loader", "sim.stage.kernel": "kernel", "sim.stage.init": "init",
        "sim.stage.library-os": "libos", "sim.stage.app": "app",

        "sim.reason.shares-host-kernel":
            "it runs on the host's kernel and cannot bring its own: only Linux programs for this very kernel run in it",
        "sim.reason.no-own-kernel":
            "it has no kernel of its own to panic: its only kernel is the host's, and a host panic takes everything (`sim crash host`)",
        "sim.reason.single-address-space":
            "a unikernel is one program in one address space: there is no shell and no second process to start",
        "sim.reason.library-os":
            "its kernel is a library OS compiled into the app: another OS means rebuilding the app against another library OS",
        "sim.reason.linux-guests-only": "the microVM's VMM documents Linux guests only (Firecracker)",
        "sim.reason.no-firmware":
            "a microVM has no BIOS/UEFI firmware: its VMM loads a Linux kernel directly, so Windows cannot boot",
        "sim.reason.not-simulated": "the container is never simulated: `compare` measures a real one",

        "sim.why.ran-on-host-kernel": "it ran on the host kernel",
        "sim.why.hypervisor-on-host": "its VMM and KVM ran on the host",
        "sim.why.own-kernel-panicked": "its own guest kernel panicked",
        "sim.why.separate-kernel": "its own kernel; the hypervisor isolates it",
        "sim.why.host-kernel-fine": "on the host kernel, which is fine",
        "sim.why.app-ended": "its app crashed and it ended with it",
        "sim.why.app-guest-stays": "app gone; guest kernel and init still run",
        "sim.why.app-is-kernel": "app and kernel are one program: all gone",
        "sim.why.unaffected": "another instance: unaffected",

        "sim.state.up": "up", "sim.state.down": "DOWN", "sim.state.app-down": "app down",
        "sim.guest.windows": "windows", "sim.guest.freebsd": "freebsd", "sim.guest.linux-other": "linux-other",

        "sim.owner.host": "host", "sim.owner.guest-any-os": "own any OS", "sim.owner.guest-linux": "own Linux",
        "sim.owner.library-os": "library OS",
        "sim.boundary.process": "none", "sim.boundary.namespaces": "namespaces", "sim.boundary.hypervisor": "hypervisor",
        "sim.exec.beside-on-host": "beside it", "sim.exec.setns": "setns", "sim.exec.guest-agent": "via agent",
        "sim.basis.published": "published", "sim.basis.derived": "derived", "sim.basis.measured": "measured",
        "sim.basis.assumption": "ASSUMPTION",
        "sim.status.running": "running (sim)", "sim.status.stopped": "stopped",

        // errors
        .simErrUnsupported: "{kind}: not possible — {reason}",
        .simErrWorkload: "no workload \"{name}\"; workloads: {known}",
        .simErrKind: "no machine kind \"{name}\" here (process, container, microvm, vm, unikernel; `vm run --kind` takes vm or microvm)",
        .simErrGuest: "no guest \"{name}\"; guests: {known}",
        .simErrSize: "invalid size \"{value}\" (e.g. 512m, 1.5g, 24GiB)",
        .simErrName: "invalid name \"{name}\": only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed",
        .simErrNameInUse: "the name \"{name}\" is already used by a simulated machine (`vm ps -a`; `vm rm` frees it)",
        .simErrNoMachine: "no simulated machine \"{name}\" (`vm ps -a` lists them)",
        .simErrRunning: "simulated machine \"{name}\" is running: `vm stop` it first, or `vm rm -f`",
        .simErrNotRunning: "simulated machine \"{name}\" is not running",
        .simErrRAMSmall: "guest RAM {requested} is too small: this guest needs at least {needed} to boot (simulated)",
        .simErrHostFull: "the host cannot reserve {requested} of guest RAM: only {available} is left beside the running simulated machines (`vm stop` one)",
        .simErrCorrupt: "simulated machine record {path} is unreadable",
        .simErrInstances: "between 1 and {max}: each instance is a real container",

        // compare
        .simCompareTitle: "compare — workload \"{workload}\" ({argv}), {count} {count|instance|instances}",
        .simCompareHost: "host: kernel {kernel}, {cpus} CPUs, {memory} RAM",
        .simCompareLegend: "The container column is measured now on this machine; every other column is [simulated] from published figures (`sim sources`).",
        .simRowStart: "start → app runs", .simRowMemory: "memory/instance", .simRowRuntime: "  VMM/monitor",
        .simRowGuestKernel: "  guest kernel", .simRowGuestUser: "  guest userspace", .simRowApp: "  app",
        .simRowUnused: "  reserved, idle", .simRowTimesN: "× {n} {n|instance|instances}", .simRowFit: "fit in {host}",
        .simRowImage: "image", .simRowKernel: "kernel", .simRowBoundary: "isolation", .simRowInterface: "to the host",
        .simRowExec: "exec into it", .simRowSeveral: "many processes", .simRowOtherOS: "another OS",
        .simNotSampled: "exited", .simShared: "shared", .simHostFiles: "host files", .simLinuxOnly: "Linux only",
        .simIfSyscalls: "{n}+ calls", .simIfDevices: "{n} devices", .simIfPC: "whole PC",
        .simTimelineTitle: "Boot timelines (log scale; digits are stages; container measured, the rest [simulated])",
        .simStageMeasured: "create+start → exec (measured)",
        .simNoteMedian: "median of {n} starts; ",
        .simNoteContainer: "container, measured: {median}memory is VmRSS summed over the processes of its cgroup; {differing} of {total} namespaces differ from the host's (/proc/PID/ns); `uname -r` inside says {kernel}, the host's kernel; Seccomp={seccomp} (0: no filter, every host system call is reachable).",
        .simNoteLimit: "the containers' memory limit, read back from the cgroup: {limit} (a VM would reserve its whole guest RAM instead).",
        .simNoteHello: "hello ends at once, so its memory could not be sampled; its greeting (from the log) named the kernel it ran on.",
        .simNoteReference: "published container starts for reference: crun {crun}, runc {runc} per run (crun README).",
        .simNoteSimulated: "[simulated] columns come from the parameter table (`sim sources`); {seed}",
        .simNoteSeed: "--seed {seed} drew each duration from its published range.",
        .simNoteNoSeed: "same inputs, same numbers (add --seed N for classroom variety).",

        // sim density
        .simDensityTitle: "sim density {label} — how many fit in {host} of host RAM, each running an app of {app}",
        .simColKind: "KIND", .simColPerInstance: "PER INSTANCE", .simColFitReserved: "FIT (RESERVED)",
        .simColFitOvercommit: "FIT (OVERCOMMIT)",
        .simWhy: "why:",
        "sim.density.why.process": "only the app's own {app}: no isolation to pay for",
        "sim.density.why.container": "the app's {app} + boxlab's {runtime} monitor; no guest kernel: the host's is shared",
        "sim.density.why.microvm": "{runtime} VMM + {ram} of guest RAM reserved whole (kernel {kernel}, userland {user}, the app; the rest idle)",
        "sim.density.why.vm": "{runtime} VMM + {ram} of guest RAM reserved whole (kernel {kernel}, services {user}, the app; the rest idle)",
        "sim.density.why.unikernel": "{runtime} VMM + a {kernel} library OS + the app: no userland, no services",
        .simDensityOvercommit: "FIT (OVERCOMMIT): a host may back only the memory guests have touched (Firecracker can oversubscribe), at the risk of running out when they all grow.",

        // sim crash
        "sim.crash.title.host": "sim crash host {label} — the host's kernel ({kernel}) panics",
        "sim.crash.title.guest-kernel": "sim crash guest-kernel {label} — the kernel inside {name} panics",
        "sim.crash.title.app": "sim crash app {label} — the app inside {name} crashes",
        .simColInstance: "INSTANCE", .simColAfter: "AFTER", .simColWhy: "WHY",
        .simCrashSurvivors: "survivors: {survivors} of {total}",
        .simCrashRefused: "sim crash guest-kernel {label} — refused for a {kind}: {reason}. Its kernel is the host's ({kernel}).",
        "sim.crash.lesson.host": "One kernel under everything: a host failure hits every container and every VM at once (호스트 장애).",
        "sim.crash.lesson.guest-kernel": "A VM brings its own kernel: its panic stays inside that one VM. Containers have no kernel of their own to panic.",
        "sim.crash.lesson.app": "An app crash ends a container (its PID 1) or a unikernel (app and kernel are one program); a VM's own kernel and init keep running.",

        // sim kernel
        .simKernelTitle: "sim kernel {label} — can another OS kernel run? (host kernel: {kernel}, read now)",
        .simBoots: "boots", .simRefused: "refused", .simWhyNot: "why not:",
        .simKernelLesson: "A VM emulates a whole computer, so any OS installs in it; a container borrows the host's kernel ({kernel}), so it runs only Linux software for that kernel.",

        // sim attack-surface
        .simAttackTitle: "sim attack-surface {label} — what a compromised app can reach on the host",
        "sim.attack.process": "all {syscalls}+ system calls of the host kernel, and the host's files and processes directly",
        "sim.attack.container": "all {syscalls}+ system calls of the same host kernel; boxlab sets no seccomp filter (docker's default blocks about {blocked}); namespaces hide files and processes",
        "sim.attack.microvm": "{devices} emulated devices of a ~{fcLines}-line Rust VMM, and KVM; a guest kernel sits in between",
        "sim.attack.vm": "a whole emulated PC (firmware, PCI, disks, display, USB) in a code base of over {qemuLines} lines of C, and KVM",
        "sim.attack.unikernel": "{devices} emulated devices of the same minimal VMM, and KVM; inside there is no shell and no other program to use",
        .simAttackLesson: "Fewer, simpler entry points and less code behind them mean less to attack: the unikernel keeps only what its app needs.",

        // sim sources
        .simSourcesTitle: "sim sources — every figure the simulation uses, as published, with its source",
        .simSourceLine: "source: {source}",
        .simFactsTitle: "facts the models rely on:",
        .simReferencesTitle: "references:",

        // vm, unikernel
        .simPsTitle: "{label} machines — nothing here runs; records in {directory}",
        .simColName: "NAME", .simColImage: "IMAGE/APP", .simColRAM: "RESERVED", .simColBoot: "BOOT",
        .simColStatus: "STATUS", .simColCreated: "CREATED",
        "sim.run.head.vm": "{label} VM \"{name}\": {ram} of guest RAM reserved + {vmm} for the VMM, disk image {image}",
        "sim.run.head.microvm": "{label} microVM \"{name}\": {ram} of guest RAM reserved + {vmm} for the VMM, rootfs {image}",
        "sim.run.head.unikernel": "{label} unikernel \"{name}\": app {image} linked with a library OS, {ram} of guest RAM + {vmm} for the VMM",
        "sim.narr.vm.vmm": "the VMM process starts and emulates a whole PC",
        "sim.narr.vm.firmware": "the BIOS initialises the virtual hardware and finds the boot disk",
        "sim.narr.vm.bootloader": "the boot menu waits, then loads the guest kernel and its initramfs",
        "sim.narr.vm.kernel": "the guest's own kernel {guest} boots (the host runs {host})",
        "sim.narr.vm.init": "the guest's init starts its services",
        "sim.narr.vm.app": "{app} runs as a process of the guest",
        "sim.narr.microvm.vmm": "the minimal VMM starts: 5 devices, no firmware, no bootloader",
        "sim.narr.microvm.kernel": "the VMM loads the guest kernel {guest} directly; it boots to /sbin/init (host: {host})",
        "sim.narr.microvm.init": "a minimal init brings up the guest",
        "sim.narr.microvm.app": "{app} runs as a process of the guest",
        "sim.narr.unikernel.vmm": "the minimal VMM starts and loads one image: app and library OS together",
        "sim.narr.unikernel.library-os": "the library OS sets up memory and devices in the app's single address space",
        "sim.narr.unikernel.app": "main() is called: no exec, no processes, no shell",
        .simRunReady: "   {label} ready after {ms} (a container starts in milliseconds: try `compare`)",
        "sim.stop.vm": "{label} {name}: the guest's init stops its services, the kernel halts, the VMM exits; {ram} returns to the host",
        "sim.stop.microvm": "{label} {name}: the guest halts and the VMM exits; {ram} returns to the host",
        "sim.stop.unikernel": "{label} {name}: the app returns, and with it the whole machine; {ram} returns to the host",
        "sim.stop.process": "{label} {name}: stopped", "sim.stop.container": "{label} {name}: stopped",
        .simExecRoute: "{label} {name}: through the guest agent; the guest's kernel {guest} runs it (not the host's {host})",
        .simExecOther: "[simulated] `{command}` would run inside the guest; boxlab does not emulate guest programs (try `uname -r` or `hostname`).",
    ]

    static let korean: [MessageKey: String] = [
        .simLabel: "[시뮬레이션]",
        .simYes: "예", .simNo: "아니오",
        .simMeasured: "실측", .simSimulated: "시뮬레이션",
        "sim.ago.s": "{n}초 전", "sim.ago.m": "{n}분 전", "sim.ago.h": "{n}시간 전", "sim.ago.d": "{n}일 전",

        "sim.kind.process": "프로세스", "sim.kind.container": "컨테이너", "sim.kind.microvm": "마이크로VM",
        "sim.kind.vm": "VM", "sim.kind.unikernel": "유니커널",

        "sim.stage.spawn": "생성", "sim.stage.vmm": "VMM", "sim.stage.firmware": "펌웨어",
        "sim.stage.bootloader": "부트로더", "sim.stage.kernel": "커널", "sim.stage.init": "init",
        "sim.stage.library-os": "라이브러리OS", "sim.stage.app": "앱",

        "sim.reason.shares-host-kernel":
            "호스트 커널 위에서 돌아가므로 자기 커널을 가져올 수 없음: 바로 이 커널용 리눅스 프로그램만 실행됨",
        "sim.reason.no-own-kernel":
            "혼자 패닉할 자기 커널이 없음: 유일한 커널은 호스트의 것이고, 호스트 패닉은 모두를 멈춤 (`sim crash host`)",
        "sim.reason.single-address-space":
            "유니커널은 주소 공간 하나에 프로그램 하나임: 셸도 없고 두 번째 프로세스를 띄울 수도 없음",
        "sim.reason.library-os":
            "커널이 앱과 함께 컴파일된 라이브러리 OS임: 다른 OS를 쓰려면 다른 라이브러리 OS로 앱을 다시 빌드해야 함",
        "sim.reason.linux-guests-only": "마이크로VM의 VMM(Firecracker)은 리눅스 게스트만 지원한다고 문서화함",
        "sim.reason.no-firmware":
            "마이크로VM에는 BIOS/UEFI 펌웨어가 없음: VMM이 리눅스 커널을 직접 올리므로 윈도우는 부팅할 수 없음",
        "sim.reason.not-simulated": "컨테이너는 시뮬레이션하지 않음: `compare`가 진짜 컨테이너를 측정함",

        "sim.why.ran-on-host-kernel": "호스트 커널 위에서 돌았음",
        "sim.why.hypervisor-on-host": "VMM과 KVM이 호스트 위에서 돌았음",
        "sim.why.own-kernel-panicked": "자기 게스트 커널이 패닉함",
        "sim.why.separate-kernel": "자기 커널이 따로 있고 하이퍼바이저가 격리함",
        "sim.why.host-kernel-fine": "호스트 커널 위에 있고, 호스트 커널은 멀쩡함",
        "sim.why.app-ended": "앱이 죽으면서 인스턴스도 끝남",
        "sim.why.app-guest-stays": "앱은 죽었지만 게스트 커널과 init은 살아 있음",
        "sim.why.app-is-kernel": "앱과 커널이 한 프로그램: 통째로 멈춤",
        "sim.why.unaffected": "다른 인스턴스: 영향 없음",

        "sim.state.up": "정상", "sim.state.down": "멈춤", "sim.state.app-down": "앱만 멈춤",
        "sim.guest.windows": "windows", "sim.guest.freebsd": "freebsd", "sim.guest.linux-other": "linux-other",

        "sim.owner.host": "호스트", "sim.owner.guest-any-os": "자체 OS", "sim.owner.guest-linux": "자체 Linux",
        "sim.owner.library-os": "라이브러리",
        "sim.boundary.process": "없음", "sim.boundary.namespaces": "NS+cgroup", "sim.boundary.hypervisor": "가상화(KVM)",
        "sim.exec.beside-on-host": "옆에 실행", "sim.exec.setns": "setns", "sim.exec.guest-agent": "에이전트",
        "sim.basis.published": "출판 수치", "sim.basis.derived": "유도값", "sim.basis.measured": "실측",
        "sim.basis.assumption": "가정",
        "sim.status.running": "실행 중(시뮬)", "sim.status.stopped": "멈춤",

        .simErrUnsupported: "{kind}: 불가능 — {reason}",
        .simErrWorkload: "\"{name}\" 워크로드가 없음; 워크로드: {known}",
        .simErrKind: "\"{name}\" 종류가 없음 (process, container, microvm, vm, unikernel; `vm run --kind`는 vm 또는 microvm)",
        .simErrGuest: "\"{name}\" 게스트가 없음; 게스트: {known}",
        .simErrSize: "잘못된 크기 \"{value}\" (예: 512m, 1.5g, 24GiB)",
        .simErrName: "잘못된 이름 \"{name}\": [a-zA-Z0-9][a-zA-Z0-9_.-]만 쓸 수 있음",
        .simErrNameInUse: "\"{name}\" 이름은 이미 시뮬레이션 머신이 쓰고 있음 (`vm ps -a`; `vm rm`으로 비울 수 있음)",
        .simErrNoMachine: "\"{name}\" 시뮬레이션 머신이 없음 (`vm ps -a`로 목록 보기)",
        .simErrRunning: "시뮬레이션 머신 \"{name}\"이(가) 실행 중: 먼저 `vm stop` 하거나 `vm rm -f`",
        .simErrNotRunning: "시뮬레이션 머신 \"{name}\"이(가) 실행 중이 아님",
        .simErrRAMSmall: "게스트 RAM {requested}은(는) 너무 작음: 이 게스트는 부팅에 최소 {needed}가 필요함 (시뮬레이션)",
        .simErrHostFull: "호스트가 게스트 RAM {requested}를 예약할 수 없음: 실행 중인 시뮬레이션 머신들 옆에 {available}만 남음 (`vm stop`으로 하나 멈추기)",
        .simErrCorrupt: "시뮬레이션 머신 기록 {path}을(를) 읽을 수 없음",
        .simErrInstances: "1부터 {max} 사이여야 함: 인스턴스마다 진짜 컨테이너를 띄움",

        .simCompareTitle: "compare — 워크로드 \"{workload}\" ({argv}), 인스턴스 {count}개",
        .simCompareHost: "호스트: 커널 {kernel}, CPU {cpus}개, RAM {memory}",
        .simCompareLegend: "컨테이너 열은 지금 이 머신에서 실측한 값이고, 나머지 열은 모두 출판된 수치로 계산한 [시뮬레이션]임 (`sim sources`).",
        .simRowStart: "시작 → 앱 실행", .simRowMemory: "인스턴스당 메모리", .simRowRuntime: "  VMM/모니터",
        .simRowGuestKernel: "  게스트 커널", .simRowGuestUser: "  게스트 유저공간", .simRowApp: "  앱",
        .simRowUnused: "  예약, 미사용", .simRowTimesN: "× {n}개", .simRowFit: "{host}에 몇 개",
        .simRowImage: "이미지", .simRowKernel: "커널", .simRowBoundary: "격리", .simRowInterface: "호스트와 접점",
        .simRowExec: "exec 가능", .simRowSeveral: "여러 프로세스", .simRowOtherOS: "다른 OS",
        .simNotSampled: "종료됨", .simShared: "공유", .simHostFiles: "호스트파일", .simLinuxOnly: "리눅스만",
        .simIfSyscalls: "{n}+ 호출", .simIfDevices: "장치 {n}개", .simIfPC: "PC 전체",
        .simTimelineTitle: "부팅 타임라인 (로그 눈금; 숫자는 단계; 컨테이너는 실측, 나머지는 [시뮬레이션])",
        .simStageMeasured: "create+start → exec (실측)",
        .simNoteMedian: "{n}번 시작의 중앙값; ",
        .simNoteContainer: "컨테이너 실측: {median}메모리는 cgroup 안 프로세스들의 VmRSS 합; 네임스페이스 {total}개 중 {differing}개가 호스트와 다름 (/proc/PID/ns); 안에서 `uname -r`은 {kernel}, 곧 호스트 커널; Seccomp={seccomp} (0: 필터 없음, 호스트 시스템 콜 전부에 닿음).",
        .simNoteLimit: "컨테이너의 메모리 제한 (cgroup에서 다시 읽음): {limit} (VM이라면 게스트 RAM 전체를 예약했을 것).",
        .simNoteHello: "hello는 곧바로 끝나서 메모리를 잴 수 없었음; 로그에 남은 인사말이 자신이 돈 커널을 알려 줌.",
        .simNoteReference: "참고로 출판된 컨테이너 시작 시간: crun {crun}, runc {runc} (1회당, crun README).",
        .simNoteSimulated: "[시뮬레이션] 열은 매개변수 표(`sim sources`)에서 나옴; {seed}",
        .simNoteSeed: "--seed {seed}로 각 시간을 출판된 범위 안에서 뽑았음.",
        .simNoteNoSeed: "입력이 같으면 숫자도 같음 (수업용 변화를 주려면 --seed N).",

        .simDensityTitle: "sim density {label} — 호스트 RAM {host}에 몇 개가 들어가나 (인스턴스마다 앱 {app})",
        .simColKind: "종류", .simColPerInstance: "인스턴스당", .simColFitReserved: "개수(예약)",
        .simColFitOvercommit: "개수(오버커밋)",
        .simWhy: "이유:",
        "sim.density.why.process": "앱 자신의 {app}뿐: 격리에 드는 비용이 없음",
        "sim.density.why.container": "앱 {app} + boxlab 모니터 {runtime}; 게스트 커널 없음: 호스트 커널을 공유함",
        "sim.density.why.microvm": "VMM {runtime} + 통째로 예약한 게스트 RAM {ram} (커널 {kernel}, 유저랜드 {user}, 앱; 나머지는 놀고 있음)",
        "sim.density.why.vm": "VMM {runtime} + 통째로 예약한 게스트 RAM {ram} (커널 {kernel}, 서비스 {user}, 앱; 나머지는 놀고 있음)",
        "sim.density.why.unikernel": "VMM {runtime} + 라이브러리 OS {kernel} + 앱: 유저랜드도 서비스도 없음",
        .simDensityOvercommit: "개수(오버커밋): 호스트가 게스트가 실제로 쓴 메모리만 채워 주는 경우 (Firecracker는 초과 할당 가능). 모두가 동시에 커지면 메모리가 모자랄 위험이 있음.",

        "sim.crash.title.host": "sim crash host {label} — 호스트 커널({kernel})이 패닉함",
        "sim.crash.title.guest-kernel": "sim crash guest-kernel {label} — {name} 안의 커널이 패닉함",
        "sim.crash.title.app": "sim crash app {label} — {name} 안의 앱이 죽음",
        .simColInstance: "인스턴스", .simColAfter: "결과", .simColWhy: "이유",
        .simCrashSurvivors: "살아남음: {total}개 중 {survivors}개",
        .simCrashRefused: "sim crash guest-kernel {label} — {kind}에는 불가능: {reason}. 그 커널은 호스트의 것({kernel})임.",
        "sim.crash.lesson.host": "모든 것 아래에 커널 하나: 호스트 장애는 모든 컨테이너와 모든 VM을 한꺼번에 멈춤.",
        "sim.crash.lesson.guest-kernel": "VM은 자기 커널을 가져옴: 그 패닉은 그 VM 하나에 머묾. 컨테이너에는 패닉할 자기 커널이 없음.",
        "sim.crash.lesson.app": "앱이 죽으면 컨테이너(그 PID 1)와 유니커널(앱과 커널이 한 프로그램)은 끝나고, VM은 자기 커널과 init이 계속 돎.",

        .simKernelTitle: "sim kernel {label} — 다른 OS 커널을 돌릴 수 있나? (호스트 커널: {kernel}, 지금 읽음)",
        .simBoots: "부팅됨", .simRefused: "거부", .simWhyNot: "안 되는 이유:",
        .simKernelLesson: "VM은 컴퓨터 전체를 흉내 내므로 어떤 OS든 설치됨; 컨테이너는 호스트 커널({kernel})을 빌려 쓰므로 그 커널용 리눅스 소프트웨어만 돌아감.",

        .simAttackTitle: "sim attack-surface {label} — 공격당한 앱이 호스트에서 닿을 수 있는 것",
        "sim.attack.process": "호스트 커널의 시스템 콜 {syscalls}여 개 전부, 그리고 호스트의 파일과 프로세스에 직접",
        "sim.attack.container": "같은 호스트 커널의 시스템 콜 {syscalls}여 개 전부; boxlab은 seccomp 필터를 걸지 않음 (docker 기본값은 약 {blocked}개를 막음); 네임스페이스가 파일과 프로세스를 가림",
        "sim.attack.microvm": "약 {fcLines}줄짜리 Rust VMM이 흉내 내는 장치 {devices}개와 KVM; 사이에 게스트 커널이 있음",
        "sim.attack.vm": "{qemuLines}줄이 넘는 C 코드가 흉내 내는 PC 전체(펌웨어, PCI, 디스크, 화면, USB)와 KVM",
        "sim.attack.unikernel": "같은 최소 VMM의 장치 {devices}개와 KVM; 안에는 셸도 다른 프로그램도 없음",
        .simAttackLesson: "드나드는 길이 적고 단순하며 그 뒤의 코드가 적을수록 공격할 거리가 줄어듦: 유니커널은 앱에 필요한 것만 남김.",

        .simSourcesTitle: "sim sources — 시뮬레이션이 쓰는 모든 수치 (출판된 그대로) 와 출처",
        .simSourceLine: "출처: {source}",
        .simFactsTitle: "모델이 기대는 사실:",
        .simReferencesTitle: "참고 문헌:",

        .simPsTitle: "{label} 머신 — 여기서 실제로 돌아가는 것은 없음; 기록 위치 {directory}",
        .simColName: "이름", .simColImage: "이미지/앱", .simColRAM: "예약", .simColBoot: "부팅",
        .simColStatus: "상태", .simColCreated: "생성",
        "sim.run.head.vm": "{label} VM \"{name}\": 게스트 RAM {ram} 예약 + VMM {vmm}, 디스크 이미지 {image}",
        "sim.run.head.microvm": "{label} 마이크로VM \"{name}\": 게스트 RAM {ram} 예약 + VMM {vmm}, 루트 파일시스템 {image}",
        "sim.run.head.unikernel": "{label} 유니커널 \"{name}\": 앱 {image}을(를) 라이브러리 OS와 링크, 게스트 RAM {ram} + VMM {vmm}",
        "sim.narr.vm.vmm": "VMM 프로세스가 시작해 PC 전체를 흉내 냄",
        "sim.narr.vm.firmware": "BIOS가 가상 하드웨어를 초기화하고 부팅 디스크를 찾음",
        "sim.narr.vm.bootloader": "부팅 메뉴가 기다린 뒤 게스트 커널과 initramfs를 읽어 들임",
        "sim.narr.vm.kernel": "게스트 자신의 커널 {guest}이(가) 부팅함 (호스트는 {host})",
        "sim.narr.vm.init": "게스트의 init이 서비스들을 띄움",
        "sim.narr.vm.app": "{app}이(가) 게스트의 프로세스로 실행됨",
        "sim.narr.microvm.vmm": "최소 VMM이 시작함: 장치 5개, 펌웨어도 부트로더도 없음",
        "sim.narr.microvm.kernel": "VMM이 게스트 커널 {guest}을(를) 직접 올리고 /sbin/init까지 부팅함 (호스트: {host})",
        "sim.narr.microvm.init": "최소 init이 게스트를 준비함",
        "sim.narr.microvm.app": "{app}이(가) 게스트의 프로세스로 실행됨",
        "sim.narr.unikernel.vmm": "최소 VMM이 시작해 이미지 하나(앱 + 라이브러리 OS)를 올림",
        "sim.narr.unikernel.library-os": "라이브러리 OS가 앱의 단일 주소 공간에서 메모리와 장치를 준비함",
        "sim.narr.unikernel.app": "main()이 호출됨: exec도, 프로세스도, 셸도 없음",
        .simRunReady: "   {label} {ms} 뒤 준비됨 (컨테이너는 밀리초 만에 시작함: `compare`로 비교해 보기)",
        "sim.stop.vm": "{label} {name}: 게스트 init이 서비스를 멈추고 커널이 정지한 뒤 VMM이 끝남; {ram}가 호스트로 돌아감",
        "sim.stop.microvm": "{label} {name}: 게스트가 정지하고 VMM이 끝남; {ram}가 호스트로 돌아감",
        "sim.stop.unikernel": "{label} {name}: 앱이 끝나면 머신 전체가 끝남; {ram}가 호스트로 돌아감",
        "sim.stop.process": "{label} {name}: 멈춤", "sim.stop.container": "{label} {name}: 멈춤",
        .simExecRoute: "{label} {name}: 게스트 에이전트를 거침; 호스트 커널({host})이 아니라 게스트 커널 {guest}이(가) 실행함",
        .simExecOther: "[시뮬레이션] `{command}`은(는) 게스트 안에서 실행될 것임; boxlab은 게스트 프로그램을 흉내 내지 않음 (`uname -r`이나 `hostname`을 해 보기).",
    ]
}

extension MessageKey {
    static let simLabel: MessageKey = "sim.label"
    static let simYes: MessageKey = "sim.yes"
    static let simNo: MessageKey = "sim.no"
    static let simMeasured: MessageKey = "sim.measured"
    static let simSimulated: MessageKey = "sim.simulated"
    static let simErrUnsupported: MessageKey = "sim.err.unsupported"
    static let simErrWorkload: MessageKey = "sim.err.workload"
    static let simErrKind: MessageKey = "sim.err.kind"
    static let simErrGuest: MessageKey = "sim.err.guest"
    static let simErrSize: MessageKey = "sim.err.size"
    static let simErrName: MessageKey = "sim.err.name"
    static let simErrNameInUse: MessageKey = "sim.err.name.inuse"
    static let simErrNoMachine: MessageKey = "sim.err.nomachine"
    static let simErrRunning: MessageKey = "sim.err.running"
    static let simErrNotRunning: MessageKey = "sim.err.notrunning"
    static let simErrRAMSmall: MessageKey = "sim.err.ram.small"
    static let simErrHostFull: MessageKey = "sim.err.host.full"
    static let simErrCorrupt: MessageKey = "sim.err.corrupt"
    static let simErrInstances: MessageKey = "sim.err.instances"
    static let simCompareTitle: MessageKey = "sim.compare.title"
    static let simCompareHost: MessageKey = "sim.compare.host"
    static let simCompareLegend: MessageKey = "sim.compare.legend"
    static let simRowStart: MessageKey = "sim.row.start"
    static let simRowMemory: MessageKey = "sim.row.memory"
    static let simRowRuntime: MessageKey = "sim.row.runtime"
    static let simRowGuestKernel: MessageKey = "sim.row.guestkernel"
    static let simRowGuestUser: MessageKey = "sim.row.guestuser"
    static let simRowApp: MessageKey = "sim.row.app"
    static let simRowUnused: MessageKey = "sim.row.unused"
    static let simRowTimesN: MessageKey = "sim.row.timesn"
    static let simRowFit: MessageKey = "sim.row.fit"
    static let simRowImage: MessageKey = "sim.row.image"
    static let simRowKernel: MessageKey = "sim.row.kernel"
    static let simRowBoundary: MessageKey = "sim.row.boundary"
    static let simRowInterface: MessageKey = "sim.row.interface"
    static let simRowExec: MessageKey = "sim.row.exec"
    static let simRowSeveral: MessageKey = "sim.row.several"
    static let simRowOtherOS: MessageKey = "sim.row.otheros"
    static let simNotSampled: MessageKey = "sim.notsampled"
    static let simShared: MessageKey = "sim.shared"
    static let simHostFiles: MessageKey = "sim.hostfiles"
    static let simLinuxOnly: MessageKey = "sim.linuxonly"
    static let simIfSyscalls: MessageKey = "sim.if.syscalls"
    static let simIfDevices: MessageKey = "sim.if.devices"
    static let simIfPC: MessageKey = "sim.if.pc"
    static let simTimelineTitle: MessageKey = "sim.timeline.title"
    static let simStageMeasured: MessageKey = "sim.stage.measured"
    static let simNoteMedian: MessageKey = "sim.note.median"
    static let simNoteContainer: MessageKey = "sim.note.container"
    static let simNoteLimit: MessageKey = "sim.note.limit"
    static let simNoteHello: MessageKey = "sim.note.hello"
    static let simNoteReference: MessageKey = "sim.note.reference"
    static let simNoteSimulated: MessageKey = "sim.note.simulated"
    static let simNoteSeed: MessageKey = "sim.note.seed"
    static let simNoteNoSeed: MessageKey = "sim.note.noseed"
    static let simDensityTitle: MessageKey = "sim.density.title"
    static let simColKind: MessageKey = "sim.col.kind"
    static let simColPerInstance: MessageKey = "sim.col.perinstance"
    static let simColFitReserved: MessageKey = "sim.col.fit.reserved"
    static let simColFitOvercommit: MessageKey = "sim.col.fit.overcommit"
    static let simWhy: MessageKey = "sim.why"
    static let simDensityOvercommit: MessageKey = "sim.density.overcommit"
    static let simColInstance: MessageKey = "sim.col.instance"
    static let simColAfter: MessageKey = "sim.col.after"
    static let simColWhy: MessageKey = "sim.col.why"
    static let simCrashSurvivors: MessageKey = "sim.crash.survivors"
    static let simCrashRefused: MessageKey = "sim.crash.refused"
    static let simKernelTitle: MessageKey = "sim.kernel.title"
    static let simBoots: MessageKey = "sim.boots"
    static let simRefused: MessageKey = "sim.refused"
    static let simWhyNot: MessageKey = "sim.whynot"
    static let simKernelLesson: MessageKey = "sim.kernel.lesson"
    static let simAttackTitle: MessageKey = "sim.attack.title"
    static let simAttackLesson: MessageKey = "sim.attack.lesson"
    static let simSourcesTitle: MessageKey = "sim.sources.title"
    static let simSourceLine: MessageKey = "sim.source.line"
    static let simFactsTitle: MessageKey = "sim.facts.title"
    static let simReferencesTitle: MessageKey = "sim.references.title"
    static let simPsTitle: MessageKey = "sim.ps.title"
    static let simColName: MessageKey = "sim.col.name"
    static let simColImage: MessageKey = "sim.col.image"
    static let simColRAM: MessageKey = "sim.col.ram"
    static let simColBoot: MessageKey = "sim.col.boot"
    static let simColStatus: MessageKey = "sim.col.status"
    static let simColCreated: MessageKey = "sim.col.created"
    static let simRunReady: MessageKey = "sim.run.ready"
    static let simExecRoute: MessageKey = "sim.exec.route"
    static let simExecOther: MessageKey = "sim.exec.other"
}
