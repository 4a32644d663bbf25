import Testing
@testable import BoxSim

/// The parameter table is the whole basis of the simulation: every number
/// must say where it comes from.
@Suite("published figures")
struct ParameterTests {
    @Test("every parameter has an id, a figure and a source", arguments: PublishedFigures.all)
    func hasSource(_ parameter: Parameter) {
        #expect(!parameter.id.isEmpty)
        #expect(!parameter.figure.trimmingCharacters().isEmpty, "\(parameter.id) has no figure")
        #expect(!parameter.source.trimmingCharacters().isEmpty, "\(parameter.id) has no source")
        #expect(parameter.value > 0, "\(parameter.id) must be positive")
        if let range = parameter.range {
            #expect(range.contains(parameter.value), "\(parameter.id): \(parameter.value) outside its published range")
        }
        if parameter.basis == .assumption {
            #expect(parameter.figure.hasPrefix("assumption"), "\(parameter.id): an assumption must say so")
        }
    }

    @Test("parameter ids are unique")
    func uniqueIDs() {
        let ids = PublishedFigures.all.map(\.id)
        #expect(Set(ids).count == ids.count)
    }

    @Test("every fact has a statement and a source")
    func facts() {
        for fact in PublishedFigures.facts {
            #expect(!fact.statement.isEmpty && !fact.source.isEmpty, "\(fact.id)")
        }
        #expect(Set(PublishedFigures.facts.map(\.id)).count == PublishedFigures.facts.count)
    }

    @Test("the cited sources of the brief are all used")
    func citedSources() {
        let sources = PublishedFigures.all.map(\.source).joined(separator: " ")
        for tag in ["[FC-SPEC]", "[QBOOT]", "[LIGHTVM]", "[UNIKRAFT]", "[CRUN]"] {
            #expect(sources.contains(tag), "no parameter cites \(tag)")
        }
    }

    @Test("every [TAG] a source names is in the reference list")
    func referencesResolve() {
        let tags = Set(PublishedFigures.references.map(\.tag))
        let texts = PublishedFigures.all.map(\.source) + PublishedFigures.facts.map(\.source)
        for text in texts {
            var rest = Substring(text)
            while let open = rest.firstIndex(of: "["), let close = rest[open...].firstIndex(of: "]") {
                let tag = String(rest[open...close])
                #expect(tags.contains(tag), "\(tag) in \"\(text)\" has no reference")
                rest = rest[rest.index(after: close)...]
            }
        }
        #expect(PublishedFigures.references.allSatisfy { !$0.citation.isEmpty })
    }

    @Test("the stage parameters of every model are in the table")
    func stagesUseTableParameters() throws {
        let ids = Set(PublishedFigures.all.map(\.id))
        for kind in MachineKind.allCases where kind != .container {
            for stage in try kind.model.stages(.web, jitter: .none) where !stage.parameter.isEmpty {
                #expect(ids.contains(stage.parameter), "\(kind.rawValue).\(stage.id.rawValue): \(stage.parameter)")
            }
        }
    }

    @Test("the published values the models are pinned to")
    func publishedValues() {
        #expect(PublishedFigures.firecrackerStart.value == 12 && PublishedFigures.firecrackerStart.range == 6...60)
        #expect(PublishedFigures.firecrackerOverhead.value == 5)
        #expect(PublishedFigures.firecrackerBootToInit.value == 125)
        #expect(PublishedFigures.firecrackerLaunchRate.value == 5)
        #expect(PublishedFigures.processSpawn.value == 1)
        #expect(PublishedFigures.crunRun.value == 16.9 && PublishedFigures.runcRun.value == 33.4)
        #expect(PublishedFigures.unikernelImage.value == 1 && PublishedFigures.unikernelMinimumMemory.value == 2)
        #expect(PublishedFigures.microVMInit.value == 330 - 12 - 125)
    }
}

extension String {
    func trimmingCharacters() -> String {
        var slice = self[...]
        while slice.first?.isWhitespace == true { slice = slice.dropFirst() }
        while slice.last?.isWhitespace == true { slice = slice.dropLast() }
        return String(slice)
    }
}

extension Parameter: CustomTestStringConvertible {
    public var testDescription: String { id }
}
