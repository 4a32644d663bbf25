import BoxRuntime

/// The runtime's error messages. English comes from RuntimeError itself
/// (docker's wording, also what `inspect` stores); Korean is here.
enum ErrorStrings: StringTable {
    static let english: [MessageKey: String] = .init(templates: RuntimeError.englishTemplates)

    static let korean: [MessageKey: String] = [
        "error.argument": "\"{flag}\" 플래그의 값 \"{value}\"이(가) 잘못됨: {reason}",
        "error.noSuchContainer": "그런 컨테이너가 없음: {ref}",
        "error.noSuchUser": "사용자 {user}을(를) 찾을 수 없음: passwd 파일에 맞는 항목이 없음 (이미지 {image}의 컨테이너)",
        "error.noSuchGroup": "그룹 {group}을(를) 찾을 수 없음: group 파일에 맞는 항목이 없음 (이미지 {image}의 컨테이너)",
        "error.ambiguous": "\"{ref}\"로 시작하는 컨테이너가 여럿임; id를 더 길게 입력하기",
        "error.nameInUse": "충돌: 컨테이너 이름 \"/{name}\"은(는) 이미 컨테이너 \"{id}\"가 쓰고 있음. 그 이름을 다시 쓰려면 그 컨테이너를 삭제(또는 이름 변경)해야 함.",
        "error.invalidName": "잘못된 컨테이너 이름 ({name}): [a-zA-Z0-9][a-zA-Z0-9_.-]만 쓸 수 있음",
        "error.wrongState": "컨테이너 {id}에 {operation} 할 수 없음: 컨테이너 상태가 {state}",
        "error.running": "컨테이너 {id}를 삭제할 수 없음: 실행 중임. 먼저 멈추거나 강제로 삭제하기 (rm -f)",
        "error.system": "{detail}",
        "error.image": "{detail}",
        "error.shim": "컨테이너 준비가 {stage} 단계({step})에서 실패함: {reason}",
        "error.notFound": "exec: \"{command}\": $PATH에서 실행 파일을 찾을 수 없음",
        "error.notExecutable": "exec: \"{command}\": 실행 권한 없음 ({errno})",
        "error.corruptState": "상태 파일 {path}을(를) 읽을 수 없음: {reason}",
        "error.aborted": "컨테이너 생성을 중단함",
    ]
}
