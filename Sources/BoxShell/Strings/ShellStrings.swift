/// The lab shell's own messages.
enum ShellStrings: StringTable {
    static let english: [MessageKey: String] = [
        .shellWelcome: "boxlab {version} — a container lab. Type `help` for commands, `explain namespaces` to learn, Ctrl-D to leave.",
        .shellBye: "bye.",
        .shellDefaultImage: "default image busybox ({id}, {layers} layer) made from the host's busybox-static: try `run --rm busybox echo hi`",
        .shellByeRunning: "{count} {count|container keeps|containers keep} running in the background: {names}. `boxlab ps` lists them; `stop` ends them.",
        .shellParseError: "{location}: {reason}",
        .shellNested: "you are already in the boxlab shell",
        .shellUnknownTopic: "no topic \"{topic}\"; topics: {topics}",
        .shellLanguageSet: "language: {language}",
        .shellNarrationSet: "narration: {level}",
        .shellNarrationNow: "narration is {level} (quiet, normal, deep)",
        .shellLanguageNow: "language is {language} (en, ko)",
        .shellNotStepping: "`{command}` only works while `run --step` waits at a stage",
        .shellStepWaiting: "paused after stage \"{stage}\": look around (inspect, ps, ls), then `continue` or `abort`",
        .shellStepAborted: "aborted: the half-made container was torn down",
        .shellInterrupted: "interrupted",
        .shellStepNoInput: "no more input while `run --step` waits: aborting",
        .shellLsUsage: "usage: ls PATH (a directory on the host, e.g. a layer dir from `inspect layers`)",
        .shellExitCode: "exit status {code}",
        .shellExitUsage: "exit: {argument}: not a number from 0 to 255 (usage: exit [N])",
    ]

    static let korean: [MessageKey: String] = [
        .shellWelcome: "boxlab {version} — 컨테이너 실습실. 명령 목록은 `help`, 개념 설명은 `explain namespaces`, 나가려면 Ctrl-D.",
        .shellBye: "안녕히 가세요.",
        .shellDefaultImage: "기본 이미지 busybox ({id}, 레이어 {layers}개)를 호스트의 busybox-static으로 만들었음: `run --rm busybox echo hi`를 해 보기",
        .shellByeRunning: "컨테이너 {count}개가 백그라운드에서 계속 실행 중: {names}. `boxlab ps`로 확인하고 `stop`으로 멈출 수 있음.",
        .shellParseError: "{location}: {reason}",
        .shellNested: "이미 boxlab 셸 안에 있음",
        .shellUnknownTopic: "\"{topic}\" 주제가 없음; 주제: {topics}",
        .shellLanguageSet: "언어: {language}",
        .shellNarrationSet: "설명 수준: {level}",
        .shellNarrationNow: "현재 설명 수준은 {level} (quiet, normal, deep)",
        .shellLanguageNow: "현재 언어는 {language} (en, ko)",
        .shellNotStepping: "`{command}`는 `run --step`이 단계에서 멈춰 있을 때만 쓸 수 있음",
        .shellStepWaiting: "\"{stage}\" 단계 후 멈춤: 둘러본 뒤(inspect, ps, ls) `continue` 또는 `abort`",
        .shellStepAborted: "중단함: 만들다 만 컨테이너를 정리했음",
        .shellInterrupted: "중단됨",
        .shellStepNoInput: "`run --step`이 기다리는 중 입력이 끝나 중단함",
        .shellLsUsage: "사용법: ls 경로 (호스트의 디렉터리, 예: `inspect layers`가 보여 주는 레이어 디렉터리)",
        .shellExitCode: "종료 상태 {code}",
        .shellExitUsage: "exit: {argument}: 0부터 255까지의 숫자가 아님 (사용법: exit [N])",
    ]
}

extension MessageKey {
    static let shellWelcome: MessageKey = "shell.welcome"
    static let shellBye: MessageKey = "shell.bye"
    static let shellExitUsage: MessageKey = "shell.exit.usage"
    static let shellDefaultImage: MessageKey = "shell.image.default"
    static let shellByeRunning: MessageKey = "shell.bye.running"
    static let shellParseError: MessageKey = "shell.parse.error"
    static let shellNested: MessageKey = "shell.nested"
    static let shellUnknownTopic: MessageKey = "shell.topic.unknown"
    static let shellLanguageSet: MessageKey = "shell.lang.set"
    static let shellNarrationSet: MessageKey = "shell.narrate.set"
    static let shellNarrationNow: MessageKey = "shell.narrate.now"
    static let shellLanguageNow: MessageKey = "shell.lang.now"
    static let shellNotStepping: MessageKey = "shell.step.none"
    static let shellStepWaiting: MessageKey = "shell.step.waiting"
    static let shellStepAborted: MessageKey = "shell.step.aborted"
    static let shellInterrupted: MessageKey = "shell.interrupted"
    static let shellStepNoInput: MessageKey = "shell.step.noinput"
    static let shellLsUsage: MessageKey = "shell.ls.usage"
    static let shellExitCode: MessageKey = "shell.exit.code"
}
