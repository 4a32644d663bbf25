import BoxOS
@testable import BoxShell
import Testing

@Suite("string catalogue")
struct CatalogTests {
    @Test("every table has the same keys in English and Korean, none empty")
    func complete() {
        for table in Catalog.tables {
            let english = Set(table.english.keys.map(\.rawValue))
            let korean = Set(table.korean.keys.map(\.rawValue))
            #expect(english.subtracting(korean).isEmpty, "\(table): missing in Korean: \(english.subtracting(korean).sorted())")
            #expect(korean.subtracting(english).isEmpty, "\(table): missing in English: \(korean.subtracting(english).sorted())")
            for (key, value) in table.english where value.isEmpty { Issue.record("\(key) is empty in English") }
            for (key, value) in table.korean where value.isEmpty { Issue.record("\(key) is empty in Korean") }
        }
    }

    @Test("placeholders match between the languages")
    func placeholders() {
        for table in Catalog.tables {
            for (key, english) in table.english {
                guard let korean = table.korean[key] else { continue }
                #expect(Template.placeholders(english) == Template.placeholders(korean),
                        "\(key): \(Template.placeholders(english)) vs \(Template.placeholders(korean))")
            }
        }
    }

    @Test("every command and builtin has help, every topic an explanation, in both languages")
    func helpCoverage() {
        for language in Language.allCases {
            let messages = Catalog.messages(language)
            for name in Completer.commandNames() where name != "quit" {
                #expect(messages[MessageKey("help." + name)] != nil, "help.\(name) in \(language)")
            }
            for topic in ShellBuiltins.topics {
                #expect(messages[MessageKey("explain." + topic)] != nil, "explain.\(topic) in \(language)")
            }
        }
    }

    @Test("lookups fill placeholders; Korean is chosen from BOXLAB_LANG or LANG")
    func localizer() {
        #expect(Localizer(.en)(.narrExit, ["code": "3"]) == "PID 1 ended with exit code 3")
        #expect(Localizer(.ko)(.narrExit, ["code": "3"]) == "PID 1 종료, 종료 코드 3")
        #expect(Language.from(environment: ["BOXLAB_LANG": "ko"]) == .ko)
        #expect(Language.from(environment: ["LANG": "ko_KR.UTF-8"]) == .ko)
        #expect(Language.from(environment: ["LANG": "C.UTF-8"]) == .en)
    }

    @Test("display width counts Hangul as two columns")
    func width() {
        #expect("abc".displayWidth == 3)
        #expect("종료".displayWidth == 4)
        #expect("종료".padded(to: 6) == "종료  ")
    }
}
