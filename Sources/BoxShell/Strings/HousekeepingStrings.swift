/// Messages of `inspect -f`, `container prune`, `system prune` and
/// `system df`. docker's own output lines ("Deleted Containers:", "Total
/// reclaimed space:", table headers) stay as docker prints them; the Go
/// template errors inside `{detail}` keep Go's wording, as docker shows it.
enum HousekeepingStrings: StringTable {
    static let english: [MessageKey: String] = [
        .inspectTemplateError: "template parsing error: {detail}",
        .inspectTemplateUnsupported:
            "template parsing error: boxlab's templates have no {{{keyword}}} (define, template and block are not supported)",
        .pruneContainersWarning: "WARNING! This will remove all stopped containers.",
        .pruneSystemWarning: "WARNING! This will remove:",
        .pruneSystemContainers: "  - all stopped containers",
        .pruneSystemVolumes: "  - all volumes not used by at least one container",
        .pruneSystemDangling: "  - all dangling images",
        .pruneSystemAllImages: "  - all images without at least one container associated to them",
        .pruneSystemNoNetworks: "  (boxlab has no networks or build cache of its own: nothing to remove there)",
    ]

    static let korean: [MessageKey: String] = [
        .inspectTemplateError: "템플릿 파싱 오류: {detail}",
        .inspectTemplateUnsupported:
            "템플릿 파싱 오류: boxlab 템플릿에는 {{{keyword}}}이(가) 없음 (define, template, block은 지원하지 않음)",
        .pruneContainersWarning: "경고! 멈춘 컨테이너를 모두 삭제함.",
        .pruneSystemWarning: "경고! 다음을 삭제함:",
        .pruneSystemContainers: "  - 멈춘 컨테이너 전부",
        .pruneSystemVolumes: "  - 어떤 컨테이너도 쓰지 않는 볼륨 전부",
        .pruneSystemDangling: "  - 매달린(dangling) 이미지 전부",
        .pruneSystemAllImages: "  - 컨테이너가 하나도 쓰지 않는 이미지 전부",
        .pruneSystemNoNetworks: "  (boxlab에는 따로 관리하는 네트워크나 빌드 캐시가 없어 그쪽은 지울 것이 없음)",
    ]
}

extension MessageKey {
    static let inspectTemplateError: MessageKey = "inspect.template.error"
    static let inspectTemplateUnsupported: MessageKey = "inspect.template.unsupported"
    static let pruneContainersWarning: MessageKey = "prune.containers.warning"
    static let pruneSystemWarning: MessageKey = "prune.system.warning"
    static let pruneSystemContainers: MessageKey = "prune.system.containers"
    static let pruneSystemVolumes: MessageKey = "prune.system.volumes"
    static let pruneSystemDangling: MessageKey = "prune.system.dangling"
    static let pruneSystemAllImages: MessageKey = "prune.system.allImages"
    static let pruneSystemNoNetworks: MessageKey = "prune.system.noNetworks"
}
