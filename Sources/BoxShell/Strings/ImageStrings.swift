import BoxImages

/// Messages of build, commit, history, diff, tag, rmi and image prune.
/// English for the error keys comes from BoxImages (`ImageError`, docker's
/// wording where docker has one); Korean is here. Docker-compatible output
/// lines ("Step 2/5 : …", " ---> …", "Successfully built …", table
/// headers, "Untagged:"/"Deleted:") stay as docker prints them.
enum ImageStrings: StringTable {
    static let english: [MessageKey: String] = .init(templates: ImageError.englishTemplates)
        .merging(shellEnglish) { first, _ in first }

    static let shellEnglish: [MessageKey: String] = [
        "image.pruneWarning": "WARNING! This will remove all dangling images.",
        "image.pruneWarningAll": "WARNING! This will remove all images without at least one container associated to them.",
        "image.pruneConfirm": "Are you sure you want to continue? [y/N] ",
        "build.note": "every step makes an image; RUN steps run in real containers and what they change becomes a layer (see `history {name}`)",
        "commit.note": "the container's read-write layer ({path}) is now a read-only layer of {name}",
    ]

    static let korean: [MessageKey: String] = [
        "build.unknownInstruction": "{location}: 알 수 없는 명령어: {instruction}",
        "build.unsupportedInstruction":
            "{location}: {instruction}은(는) boxlab이 지원하지 않는 Dockerfile 명령어임; "
            + "FROM, RUN, COPY, ADD, ENV, WORKDIR, CMD, ENTRYPOINT, LABEL, EXPOSE, USER를 쓰기",
        "build.missingFrom": "{location}: 첫 명령어는 FROM이어야 함 ({instruction}이(가) 아님)",
        "build.secondFrom": "{location}: 두 번째 FROM: 멀티 스테이지 빌드는 지원하지 않음",
        "build.fromAlias": "{location}: FROM … AS 이름은 멀티 스테이지 빌드의 단계 이름인데, boxlab은 멀티 스테이지를 지원하지 않음",
        "build.empty": "{file}: 명령어가 없음 (파일이 비었거나 주석뿐임)",
        "build.badJSON": "{location}: exec 형식의 {instruction}은(는) 문자열로 된 JSON 배열이어야 함: {reason}",
        "build.needsArguments": "{location}: {instruction}에는 인자가 {count}개 이상 필요함",
        "build.needsOneArgument": "{location}: {instruction}에는 인자가 정확히 하나 필요함",
        "build.badKeyValue": "{location}: {instruction}은(는) KEY=VALUE 쌍을 받는데 \"{word}\"이(가) 왔음",
        "build.badSubstitution": "{location}: \"{text}\"의 변수 치환이 잘못됨",
        "build.unterminatedQuote": "{location}: \"{text}\"에 닫히지 않은 따옴표가 있음",
        "build.unsupportedModifier": "{location}: \"{text}\" 처리 실패: 치환에 지원하지 않는 수식자({modifier})가 있음",
        "build.badPattern": "{location}: \"{text}\" 처리 실패: 치환의 패턴({pattern})이 잘못됨",
        "build.variableUnset": "{location}: \"{text}\" 처리 실패: {name}: 설정되지 않은 채로 둘 수 없음",
        "build.variableEmpty": "{location}: \"{text}\" 처리 실패: {name}: 빈 값일 수 없음",
        "build.variableMessage": "{location}: \"{text}\" 처리 실패: {name}: {message}",
        "build.repeatedDirective": "{location}: {directive} 파서 지시어는 한 번만 쓸 수 있음",
        "build.badEscapeToken": "{location}: 잘못된 이스케이프 문자 '{token}' (` 또는 \\만 쓸 수 있음)",
        "build.emptyContinuationLine":
            "{location}: [경고]: 이어지는 명령어 안에 빈 줄이 있음: {instruction} (docker에서는 나중에 오류가 될 예정)",
        "build.badFlag": "{location}: {instruction}에 없는 플래그 {flag}",
        "build.badChown": "{location}: --chown={value}: 숫자 UID[:GID]만 지원함",
        "build.badPort": "{location}: 잘못된 포트 \"{port}\" (PORT, PORT/tcp, PORT/udp 중 하나)",
        "build.noBoxfile": "{dir}에 Boxfile도 Dockerfile도 없음 (-f 파일로 지정할 수 있음)",
        "build.unreadable": "{path}을(를) 읽을 수 없음: {reason}",
        "build.contextNotDirectory": "빌드 컨텍스트 {dir}이(가) 디렉터리가 아님",
        "build.sourceOutside": "{location}: {instruction} 실패: 빌드 컨텍스트 밖의 경로는 쓸 수 없음: {source}",
        "build.sourceMissing": "{location}: {instruction} 실패: 빌드 컨텍스트에 파일이 없음: {source}",
        "build.sourceUnsupported": "{location}: {instruction} 실패: {source}은(는) 소켓이나 장치 파일임; 파일, 디렉터리, 심볼릭 링크만 복사함",
        "build.destinationNotDirectory":
            "{location}: {instruction}에 원본 파일이 여러 개면 대상은 /로 끝나는 디렉터리여야 함",
        "build.remoteAdd": "{location}: URL({source})에서 ADD하는 것은 지원하지 않음 (boxlab에는 네트워크가 없음): 빌드 컨텍스트에 내려받은 뒤 COPY하기",
        "build.runFailed": "{location}: 명령 '{command}'이(가) 0이 아닌 코드를 돌려줌: {code}",
        "build.runError": "{location}: 명령 '{command}'을(를) 실행하지 못함: {error}",
        "build.runInScratch": "{location}: RUN에는 셸이 필요한데 FROM scratch 이미지에는 셸이 없음",
        "build.interrupted": "{step}단계 전에 빌드를 중단함; 그 전 단계들의 이미지는 남아 있음 (캐시로도 쓰임)",
        "build.noImage": "이미지가 만들어지지 않았음. Boxfile이 비어 있지 않은지 확인하기",
        "build.baseNotFound": "{location}: FROM {image}: 이미지 '{image}'을(를) 로컬에서 찾을 수 없음 (boxlab에는 레지스트리가 없음; 로컬 이미지와 내장 busybox만 쓸 수 있음)",
        "image.noSuchImage": "그런 이미지가 없음: {reference}",
        "image.conflictDelete": "충돌: {id}을(를) 삭제할 수 없음 (강제로(-f) 해야 함) - {reason}",
        "image.conflictDeleteHard": "충돌: {id}을(를) 삭제할 수 없음 (강제로도 안 됨) - {reason}",
        "image.conflictReference":
            "충돌: 저장소 참조 \"{reference}\"을(를) 지울 수 없음 (강제로(-f) 해야 함) - 컨테이너 {container}이(가) 그 이미지 {id}을(를) 쓰고 있음",
        "image.reasonChildren": "이 이미지를 부모로 하는 자식 이미지가 있음",
        "image.reasonRunning": "실행 중인 컨테이너 {container}이(가) 이 이미지를 쓰고 있음",
        "image.reasonStopped": "멈춘 컨테이너 {container}이(가) 이 이미지를 쓰고 있음",
        "image.reasonMultiple": "이 이미지를 가리키는 이름이 여럿임",
        "image.tagByDigest": "다이제스트 참조로는 태그를 만들 수 없음: {reference}",
        "image.noUpper": "컨테이너 {container}의 읽기-쓰기 레이어가 {path}에 없음",
        "image.baseGone": "컨테이너 {container}을(를) 커밋할 수 없음: 그 이미지 {id}이(가) 삭제되어(rmi -f) 아래 레이어들도 함께 사라졌음",
        "image.error": "{detail}",
        "image.pruneWarning": "경고! 매달린(dangling) 이미지를 모두 삭제함.",
        "image.pruneWarningAll": "경고! 컨테이너가 하나도 쓰지 않는 이미지를 모두 삭제함.",
        "image.pruneConfirm": "계속할까요? [y/N] ",
        "build.note": "단계마다 이미지가 하나씩 생김; RUN 단계는 진짜 컨테이너에서 실행되고 바뀐 내용이 레이어가 됨 (`history {name}`로 보기)",
        "commit.note": "컨테이너의 읽기-쓰기 레이어({path})가 이제 {name}의 읽기 전용 레이어임",
    ]
}
