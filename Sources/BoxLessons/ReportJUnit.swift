import BoxOS

/// Grades as JUnit XML (testsuites / testsuite / testcase / failure), which
/// CI systems and LMS importers read: one testsuite per student, one
/// testcase per step (a failure when the replay did not earn it), one
/// "integrity" testcase that fails when the transcript says more than the
/// replay backs up, and an error testcase for a transcript that could not
/// be graded.
public enum GradeReportJUnit {
    public static func report(lesson: Lesson, grades: [StudentGrade], wallMs: Int) -> String {
        let failures = grades.filter { $0.error == nil }.reduce(0) { $0 + $1.steps.filter { !$0.passed }.count + (integrityFails($1) ? 1 : 0) }
        let errors = grades.filter { $0.error != nil }.count
        let tests = grades.reduce(0) { $0 + testCount($1) }
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        xml += "<testsuites name=\"\(escape("boxlab grade " + lesson.id))\" tests=\"\(tests)\" failures=\"\(failures)\" "
            + "errors=\"\(errors)\" time=\"\(seconds(wallMs))\">\n"
        for grade in grades { xml += suite(grade, lesson: lesson) }
        xml += "</testsuites>\n"
        return xml
    }

    static func integrityFails(_ grade: StudentGrade) -> Bool { grade.error == nil && !grade.isScript && !grade.flags.isEmpty }

    static func testCount(_ grade: StudentGrade) -> Int {
        grade.error != nil ? 1 : grade.steps.count + (grade.isScript ? 0 : 1)
    }

    static func suite(_ grade: StudentGrade, lesson: Lesson) -> String {
        let className = escape(lesson.id + "." + grade.student.replacingDots())
        let failures = grade.error == nil ? grade.steps.filter { !$0.passed }.count + (integrityFails(grade) ? 1 : 0) : 0
        var xml = "  <testsuite name=\"\(escape(lesson.id + ": " + grade.student))\" tests=\"\(testCount(grade))\" "
            + "failures=\"\(failures)\" errors=\"\(grade.error == nil ? 0 : 1)\" skipped=\"0\" time=\"\(seconds(grade.executionMs))\">\n"
        xml += "    <properties>\n"
        for (name, value) in [("file", grade.file), ("student", grade.student), ("score", String(grade.score)),
                              ("max_score", String(grade.maxScore)), ("timed_out", String(grade.timedOut))] {
            xml += "      <property name=\"\(name)\" value=\"\(escape(value))\"/>\n"
        }
        xml += "    </properties>\n"
        if let error = grade.error {
            xml += "    <testcase classname=\"\(className)\" name=\"transcript\" time=\"0\">\n"
            xml += "      <error type=\"bad-transcript\" message=\"\(escape(error))\">\(escape(error))</error>\n"
            xml += "    </testcase>\n"
            xml += "  </testsuite>\n"
            return xml
        }
        for step in grade.steps {
            let name = escape("step \(step.number) (\(step.points)/\(step.maxPoints)): \(step.title)")
            if step.passed {
                xml += "    <testcase classname=\"\(className)\" name=\"\(name)\" time=\"0\"/>\n"
            } else {
                xml += "    <testcase classname=\"\(className)\" name=\"\(name)\" time=\"0\">\n"
                xml += "      <failure type=\"check\" message=\"\(escape(step.detail))\">\(escape(step.detail))</failure>\n"
                xml += "    </testcase>\n"
            }
        }
        if !grade.isScript {
            if grade.flags.isEmpty {
                xml += "    <testcase classname=\"\(className)\" name=\"integrity\" time=\"0\"/>\n"
            } else {
                let text = grade.flags.map { "[\($0.kind.rawValue)] \($0.message)" }.joined(separator: "\n")
                xml += "    <testcase classname=\"\(className)\" name=\"integrity\" time=\"0\">\n"
                xml += "      <failure type=\"integrity\" message=\"\(escape("\(Template.count(grade.flags.count, "flag", "flags")): the replay does not back up the transcript"))\">"
                    + escape(text) + "</failure>\n"
                xml += "    </testcase>\n"
            }
        }
        xml += "  </testsuite>\n"
        return xml
    }

    static func seconds(_ ms: Int) -> String {
        let value = max(0, ms)
        let fraction = String(value % 1000)
        return "\(value / 1000)." + String(repeating: "0", count: 3 - fraction.count) + fraction
    }

    /// Text for XML content and attribute values: the five entities, and
    /// characters XML 1.0 does not allow (most control characters, which
    /// terminal output has plenty of) replaced by U+FFFD; newlines and
    /// tabs in attributes become character references so they survive.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\n": out += "&#10;"
            case "\t": out += "&#9;"
            case "\r": out += "&#13;"
            default:
                let value = scalar.value
                let allowed = value >= 0x20 && !(0xD800...0xDFFF).contains(value) && value != 0xFFFE && value != 0xFFFF
                out.unicodeScalars.append(allowed ? scalar : "\u{FFFD}")
            }
        }
        return out
    }
}

extension String {
    /// "kim.lee" → "kim_lee" (a dot separates parts of a JUnit class name).
    func replacingDots() -> String { String(map { $0 == "." ? "_" : $0 }) }
}
