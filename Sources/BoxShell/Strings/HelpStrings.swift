/// `help` and `explain`: what each command teaches and its docker twin, and
/// the concept topics. Keys: "help.VERB" and "explain.TOPIC".
enum HelpStrings: StringTable {
    static let english: [MessageKey: String] = [
        "help.header": "Commands (each works like the docker command of the same name):",
        "help.footer": "`help COMMAND` shows its flags; `explain TOPIC` teaches a concept ({topics}).",
        "help.docker": "docker equivalent: {docker}",
        "help.run": "create and start a container from an image; watch every stage the kernel performs",
        "help.create": "prepare a container (directories, read-write layer, config) without running it",
        "help.start": "start a created or stopped container; its read-write layer is kept",
        "help.ps": "list containers: running ones, or all with -a (the lifecycle on disk)",
        "help.stop": "SIGTERM to PID 1, SIGKILL after the grace period (-t)",
        "help.kill": "send a signal (default SIGKILL) to PID 1",
        "help.pause": "freeze every process with the cgroup freezer (not SIGSTOP)",
        "help.unpause": "thaw a paused container",
        "help.rm": "remove a container and its read-write layer; volumes stay",
        "help.port": "list a container's published ports (-p HOSTPORT:CONTAINERPORT), e.g. 80/tcp -> 0.0.0.0:8080",
        "help.wait": "wait for a container to stop and print its exit code",
        "help.logs": "print what a container wrote to stdout and stderr",
        "help.exec": "run another process inside a running container's namespaces",
        "help.inspect": "a container as JSON, or -f '{{.State.Pid}}' through a Go template; `inspect ns|mounts|cgroup|layers|proc|net X` shows live kernel evidence",
        "help.images": "list local images (an image is a read-only template of layers)",
        "help.build": "build an image from a Boxfile: each RUN runs in a real container and becomes a layer; unchanged steps come from the cache",
        "help.commit": "turn a container's read-write layer into a new image (then run many copies of it)",
        "help.history": "the steps that made an image, one layer each, with sizes; an id in the list can be run to go back a layer",
        "help.diff": "what a container changed in its read-write layer: A added, C changed, D deleted",
        "help.tag": "give an image another name (REPOSITORY:TAG); nothing is copied",
        "help.rmi": "remove images; refused while a container uses one (unless -f); shared layers stay",
        "help.image": "image prune removes dangling images (and ls, rm, tag, history as aliases)",
        "help.save": "save images to an OCI archive (-o FILE): a tar of oci-layout, index.json and blobs that podman and skopeo read",
        "help.load": "load images from an OCI archive or a docker-archive tarball (-i FILE); every blob is checked by digest",
        "help.push": "send an image to a registry at localhost (OCI distribution API over HTTP): blobs it has are skipped",
        "help.pull": "fetch an image from a registry at localhost; every blob is checked by digest",
        "help.shell": "the lab shell (this prompt); --script FILE runs a file of commands",
        "help.narrate": "how much to explain while running: quiet, normal or deep",
        "help.lang": "switch the language of boxlab's messages: en or ko",
        "help.explain": "explain a concept: {topics}",
        "help.ls": "list a directory on the host (layer and container directories)",
        "help.continue": "go on to the next stage of `run --step`",
        "help.abort": "tear down the container `run --step` is building",
        "help.help": "this list, or one command's flags",
        "help.exit": "leave the shell, as Ctrl-D does (detached containers keep running); `exit N` ends with status N",
        "help.clear": "clear the screen, as Ctrl-L does",
        "help.container": "container prune removes every stopped container (and ls, rm as aliases)",
        "help.system": "system prune removes stopped containers and dangling images (-a unused images, --volumes unused volumes); system df shows disk use",
        "help.compare": "run a workload as a real container, measured now, beside simulated process, unikernel, microVM and VM models",
        "help.sim": "simulated exercises: density, crash host|guest-kernel|app, kernel (another OS?), attack-surface, sources",
        "help.vm": "drive simulated VMs like containers: vm run [--kind vm|microvm], vm ps, vm stop, vm exec, vm rm",
        "help.unikernel": "boot a simulated unikernel (one app + a library OS, one address space): unikernel run APP",
        "help.lesson": "guided lessons and exercises: list, start ID, status, reset, validate",
        "help.hint": "a hint for the current lesson step",
        "help.check": "show what the current lesson step still needs",
        "help.next": "show the current lesson step again",
        "help.answer": "answer a lesson's question (e.g. `answer 15`)",
        "help.record": "record this session as a transcript: record start [FILE], record stop, record export --cast FILE (asciinema)",
        "help.replay": "replay a transcript or command script in a fresh sandbox, narrated again (--realtime, --until STEP)",
        "help.grade": "grade transcripts by replaying each in its own sandbox: grade FILE|DIR --lesson ID [--format text|json|gradescope|junit]",

        "explain.namespaces": """
            Namespaces give a process its own view of one kind of kernel resource. A container is
            an ordinary process that the kernel placed in new namespaces at clone():
              pid    its own process numbers (the command is PID 1 inside)
              mnt    its own mount table (the overlay root, its own /proc)
              uts    its own host name
              ipc    its own shared memory and message queues
              net    its own network devices (eth0 on the boxlab0 bridge, or only loopback)
              cgroup its own view of the cgroup tree
            Each namespace is an inode: compare /proc/PID/ns/* inside and on the host with
            `inspect ns CONTAINER`. Same number = shared, different = isolated.
            """,
        "explain.layers": """
            An image is a stack of read-only layers (one per build step); a container adds one
            read-write layer on top. overlayfs merges them: reads fall through to the first layer
            that has the file, writes go to the container's layer (copy-on-write), deletions are
            recorded as whiteouts. Many containers share the same image layers on disk.
            See `inspect layers CONTAINER` and the upper/ directory of a container.
            """,
        "explain.cgroups": """
            Control groups limit and account what a group of processes may use: memory (-m), the
            number of processes (--pids-limit), CPU time (--cpus), devices. Over the memory limit
            the kernel's OOM killer ends a process (exit 137, OOMKilled). The freezer behind
            `pause` is a cgroup too. See `inspect cgroup CONTAINER` for the limit files.
            """,
        "explain.lifecycle": """
            created → running → (paused ↔ running) → exited → removed.
            create prepares, start runs PID 1, stop sends SIGTERM then SIGKILL, kill sends a
            signal, rm deletes the container and its read-write layer. `ps` shows running
            containers, `ps -a` all of them with their exit codes.
            """,
        "explain.kernel-sharing": """
            A container is not a virtual machine: there is no guest kernel. Every container runs
            on the host's kernel (`uname -r` is the same inside), which makes it start in
            milliseconds and cost little memory — but it can only run Linux programs for this
            kernel, and a kernel crash takes every container down with the host.
            """,
        "explain.volumes": """
            A container's read-write layer is deleted by `rm`. Data that must outlive it goes in a
            volume (-v NAME:/path, kept under the boxlab root) or a bind mount of a host directory
            (-v /host/dir:/path[:ro]). A new container mounting the same volume sees the data.
            """,
    ]

    static let korean: [MessageKey: String] = [
        "help.header": "명령 (각각 같은 이름의 docker 명령처럼 동작함):",
        "help.footer": "`help 명령`은 옵션을, `explain 주제`는 개념을 설명함 ({topics}).",
        "help.docker": "docker 대응 명령: {docker}",
        "help.run": "이미지로 컨테이너를 만들고 시작함; 커널이 하는 모든 단계를 보여 줌",
        "help.create": "컨테이너를 실행하지 않고 준비만 함 (디렉터리, 읽기-쓰기 레이어, 설정)",
        "help.start": "만들어졌거나 멈춘 컨테이너를 시작함; 읽기-쓰기 레이어는 유지됨",
        "help.ps": "컨테이너 목록: 실행 중인 것만, -a면 전부 (디스크에 기록된 생애주기)",
        "help.stop": "PID 1에 SIGTERM, 유예 시간(-t) 뒤에 SIGKILL",
        "help.kill": "PID 1에 시그널을 보냄 (기본 SIGKILL)",
        "help.pause": "cgroup freezer로 모든 프로세스를 얼림 (SIGSTOP이 아님)",
        "help.unpause": "일시 정지한 컨테이너를 다시 움직임",
        "help.rm": "컨테이너와 그 읽기-쓰기 레이어를 삭제함; 볼륨은 남음",
        "help.port": "컨테이너가 공개한 포트 목록 (-p 호스트포트:컨테이너포트), 예: 80/tcp -> 0.0.0.0:8080",
        "help.wait": "컨테이너가 멈출 때까지 기다렸다가 종료 코드를 출력함",
        "help.logs": "컨테이너가 stdout과 stderr에 쓴 내용을 출력함",
        "help.exec": "실행 중인 컨테이너의 네임스페이스 안에서 다른 프로세스를 실행함",
        "help.inspect": "컨테이너 정보를 JSON으로, 또는 -f '{{.State.Pid}}'처럼 Go 템플릿으로; `inspect ns|mounts|cgroup|layers|proc|net X`는 커널의 실시간 증거를 보여 줌",
        "help.images": "로컬 이미지 목록 (이미지는 레이어로 된 읽기 전용 틀)",
        "help.build": "Boxfile로 이미지를 만듦: RUN마다 진짜 컨테이너에서 실행되어 레이어가 되고, 바뀌지 않은 단계는 캐시에서 가져옴",
        "help.commit": "컨테이너의 읽기-쓰기 레이어로 새 이미지를 만듦 (그 뒤 여러 개를 실행해 보기)",
        "help.history": "이미지를 만든 단계들과 각 레이어의 크기; 목록의 id를 실행하면 한 레이어 전으로 돌아갈 수 있음",
        "help.diff": "컨테이너가 읽기-쓰기 레이어에서 바꾼 것: A 추가, C 변경, D 삭제",
        "help.tag": "이미지에 이름(저장소:태그)을 하나 더 붙임; 아무것도 복사하지 않음",
        "help.rmi": "이미지를 삭제함; 컨테이너가 쓰는 중이면 거부함 (-f 제외); 공유하는 레이어는 남음",
        "help.image": "image prune은 매달린(dangling) 이미지를 삭제함 (ls, rm, tag, history는 별칭)",
        "help.save": "이미지를 OCI 아카이브로 저장함 (-o 파일): podman과 skopeo가 읽는 oci-layout, index.json, blob들의 tar",
        "help.load": "OCI 아카이브나 docker-archive tar에서 이미지를 불러옴 (-i 파일); 모든 blob을 다이제스트로 검사함",
        "help.push": "이미지를 localhost의 레지스트리로 보냄 (HTTP 위의 OCI distribution API): 이미 있는 blob은 건너뜀",
        "help.pull": "localhost의 레지스트리에서 이미지를 가져옴; 모든 blob을 다이제스트로 검사함",
        "help.shell": "실습 셸 (지금 이 프롬프트); --script 파일로 명령 파일을 실행함",
        "help.narrate": "실행하면서 얼마나 설명할지: quiet, normal, deep",
        "help.lang": "boxlab 메시지 언어를 바꿈: en 또는 ko",
        "help.explain": "개념 설명: {topics}",
        "help.ls": "호스트의 디렉터리 목록 (레이어와 컨테이너 디렉터리)",
        "help.continue": "`run --step`의 다음 단계로 진행",
        "help.abort": "`run --step`이 만들던 컨테이너를 정리함",
        "help.help": "이 목록, 또는 한 명령의 옵션",
        "help.exit": "Ctrl-D처럼 셸을 나감 (백그라운드 컨테이너는 계속 실행됨); `exit N`은 종료 상태 N으로 끝냄",
        "help.clear": "Ctrl-L처럼 화면을 지움",
        "help.container": "container prune은 멈춘 컨테이너를 모두 삭제함 (ls, rm은 별칭)",
        "help.system": "system prune은 멈춘 컨테이너와 매달린 이미지를 삭제함 (-a 안 쓰는 이미지, --volumes 안 쓰는 볼륨); system df는 디스크 사용량을 보여 줌",
        "help.compare": "워크로드를 진짜 컨테이너로 돌려 지금 실측하고, 시뮬레이션한 프로세스·유니커널·마이크로VM·VM 모델과 나란히 비교함",
        "help.sim": "시뮬레이션 실습: density(집적도), crash host|guest-kernel|app(장애), kernel(다른 OS?), attack-surface(공격 면), sources(출처)",
        "help.vm": "시뮬레이션 VM을 컨테이너처럼 다룸: vm run [--kind vm|microvm], vm ps, vm stop, vm exec, vm rm",
        "help.unikernel": "시뮬레이션 유니커널을 부팅함 (앱 하나 + 라이브러리 OS, 주소 공간 하나): unikernel run 앱",
        "help.lesson": "안내형 레슨과 연습 문제: list, start ID, status, reset, validate",
        "help.hint": "현재 레슨 단계의 힌트",
        "help.check": "현재 레슨 단계에 아직 무엇이 부족한지 보여 줌",
        "help.next": "현재 레슨 단계를 다시 보여 줌",
        "help.answer": "레슨의 질문에 답함 (예: `answer 15`)",
        "help.record": "이 세션을 기록 파일로 남김: record start [파일], record stop, record export --cast 파일 (asciinema)",
        "help.replay": "기록 파일이나 명령 스크립트를 새 샌드박스에서 설명과 함께 다시 실행함 (--realtime, --until 단계)",
        "help.grade": "기록 파일마다 전용 샌드박스에서 재실행해 채점함: grade 파일|디렉터리 --lesson ID [--format text|json|gradescope|junit]",

        "explain.namespaces": """
            네임스페이스는 프로세스에게 커널 자원 한 종류에 대한 자기만의 시야를 줌. 컨테이너는
            clone() 때 커널이 새 네임스페이스들에 넣은 평범한 프로세스임:
              pid    자기만의 프로세스 번호 (안에서는 명령이 PID 1)
              mnt    자기만의 마운트 표 (오버레이 루트, 자기 /proc)
              uts    자기만의 호스트명
              ipc    자기만의 공유 메모리와 메시지 큐
              net    자기만의 네트워크 장치 (boxlab0 브리지에 연결된 eth0, 또는 루프백만)
              cgroup cgroup 트리에 대한 자기만의 시야
            네임스페이스마다 inode 번호가 있음: `inspect ns 컨테이너`로 안과 호스트의
            /proc/PID/ns/*를 비교해 보기. 같으면 공유, 다르면 격리.
            """,
        "explain.layers": """
            이미지는 읽기 전용 레이어(빌드 단계마다 하나)를 쌓은 것이고, 컨테이너는 그 위에 읽기-쓰기
            레이어 하나를 더함. overlayfs가 이들을 합침: 읽기는 파일이 있는 첫 레이어에서,
            쓰기는 컨테이너 레이어로(copy-on-write), 삭제는 whiteout으로 기록됨. 여러 컨테이너가
            디스크의 같은 이미지 레이어를 나눠 씀. `inspect layers 컨테이너`와 upper/ 디렉터리를 보기.
            """,
        "explain.cgroups": """
            컨트롤 그룹은 프로세스 묶음이 쓸 수 있는 자원을 제한하고 집계함: 메모리(-m),
            프로세스 수(--pids-limit), CPU 시간(--cpus), 장치. 메모리 제한을 넘으면 커널의
            OOM 킬러가 프로세스를 끝냄 (종료 코드 137, OOMKilled). `pause`의 freezer도 cgroup임.
            제한 파일은 `inspect cgroup 컨테이너`로 보기.
            """,
        "explain.lifecycle": """
            created → running → (paused ↔ running) → exited → 삭제.
            create는 준비, start는 PID 1 실행, stop은 SIGTERM 뒤 SIGKILL, kill은 시그널 전송,
            rm은 컨테이너와 읽기-쓰기 레이어를 삭제. `ps`는 실행 중인 컨테이너를,
            `ps -a`는 종료 코드와 함께 전부를 보여 줌.
            """,
        "explain.kernel-sharing": """
            컨테이너는 가상 머신이 아님: 게스트 커널이 없음. 모든 컨테이너가 호스트 커널에서
            돌아가므로 (`uname -r`이 안에서도 같음) 밀리초 만에 시작하고 메모리도 적게 씀 —
            하지만 이 커널용 리눅스 프로그램만 돌릴 수 있고, 커널이 죽으면 호스트와 함께
            모든 컨테이너가 멈춤.
            """,
        "explain.volumes": """
            컨테이너의 읽기-쓰기 레이어는 `rm`으로 지워짐. 컨테이너보다 오래 남아야 하는 데이터는
            볼륨(-v 이름:/경로, boxlab 루트 아래에 보관)이나 호스트 디렉터리 바인드 마운트
            (-v /호스트/디렉터리:/경로[:ro])에 둠. 같은 볼륨을 마운트한 새 컨테이너는 그 데이터를 봄.
            """,
    ]
}
