import ArgumentParser
import BoxImages

/// Messages of save, load, push and pull. "Loaded image: …" is docker's
/// own line and stays as docker prints it; the rest is translated.
enum ArchiveStrings: StringTable {
    static let english: [MessageKey: String] = .init(templates: ArchiveError.englishTemplates).merging([
        "archive.saved": "saved {count} {count|image|images} to {file}: an OCI layout in a tar (oci-layout, index.json, blobs/sha256/…)",
        "archive.loadNote": "every blob was checked against its sha256 digest before the store changed",
        "archive.outputRequired": "save needs -o FILE: boxlab does not write an archive to a terminal",
        "registry.notLocal": "registry {host} is not on this machine: boxlab pushes and pulls only over plain HTTP to localhost (e.g. localhost:5000/NAME:TAG), without credentials",
        "registry.unreachable": "cannot reach the registry: {reason}",
        "registry.refused": "the registry answered {status} to {request}: {message}",
        "registry.badResponse": "unexpected answer from the registry: {reason}",
        "registry.digestMismatch": "{what} does not match its digest (expected {expected}, got {actual})",
        "registry.pushNote": "blobs the registry already had were skipped (HEAD); the others went up as one PUT each, then the manifest",
    ]) { first, _ in first }

    static let korean: [MessageKey: String] = [
        "archive.saved": "이미지 {count}개를 {file}에 저장함: OCI 레이아웃을 tar로 묶은 것 (oci-layout, index.json, blobs/sha256/…)",
        "archive.loadNote": "저장소를 바꾸기 전에 모든 blob을 sha256 다이제스트로 검사했음",
        "archive.outputRequired": "save에는 -o 파일이 필요함: boxlab은 아카이브를 터미널에 쓰지 않음",
        "archive.invalid": "아카이브의 \"{entry}\" 항목이 잘못됨: {reason}",
        "archive.unsafeEntry": "아카이브 항목 \"{entry}\"을(를) 거부함: 이름이 아카이브 밖을 가리킴 (절대 경로 또는 \"..\")",
        "archive.missing": "잘못된 아카이브: {by}이(가) 가리키는 \"{entry}\"이(가) 아카이브에 없음",
        "archive.digestMismatch": "아카이브의 \"{entry}\" 항목이 잘못됨: 다이제스트 불일치 (기대값 {expected}, 실제 {actual})",
        "archive.unknownFormat": "잘못된 아카이브: OCI 아카이브(oci-layout, index.json)도 docker 아카이브(manifest.json)도 아님",
        "archive.unsupported": "\"{entry}\"을(를) 불러올 수 없음: {what}",
        "registry.notLocal": "레지스트리 {host}은(는) 이 머신에 있지 않음: boxlab은 인증 없이 평문 HTTP로 localhost에만 push/pull 함 (예: localhost:5000/이름:태그)",
        "registry.unreachable": "레지스트리에 연결할 수 없음: {reason}",
        "registry.refused": "레지스트리가 {request}에 {status}(으)로 응답함: {message}",
        "registry.badResponse": "레지스트리의 예상치 못한 응답: {reason}",
        "registry.digestMismatch": "{what}이(가) 다이제스트와 맞지 않음 (기대값 {expected}, 실제 {actual})",
        "registry.pushNote": "레지스트리에 이미 있는 blob은 건너뛰고(HEAD), 나머지는 각각 PUT 한 번으로 올린 뒤 매니페스트를 올렸음",
    ]

    /// A registry error in the student's language.
    static func describe(_ error: RegistryError, _ text: Localizer) -> String {
        switch error {
        case let .notLocal(host): return text("registry.notLocal", ["host": host])
        case let .unreachable(reason): return text("registry.unreachable", ["reason": reason])
        case let .refused(request, status, message):
            return text("registry.refused", ["request": request, "status": "\(status)", "message": message])
        case let .badResponse(reason): return text("registry.badResponse", ["reason": reason])
        case let .digestMismatch(what, expected, actual):
            return text("registry.digestMismatch", ["what": what, "expected": expected, "actual": actual])
        }
    }

    /// Runs an archive command: archive errors are printed translated and exit 125.
    static func reporting(_ text: Localizer, _ body: () throws -> Void) throws {
        try ImageCommandSupport.reporting(text) {
            do { try body() } catch let error as ArchiveError {
                Terminal.error(error, text)
                throw ExitCode(error.exitCode)
            } catch let error as RegistryError {
                Terminal.error(describe(error, text))
                throw ExitCode(1)
            }
        }
    }
}
