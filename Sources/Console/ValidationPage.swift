import Foundation
import Hummingbird
import PASIModel
import SyncStore

/// The seed's PASI Data Validation Viewer (SCM Step 4, School Terms Validations): at the district
/// or a school's level, "Choose Validations" lists each failed rule with its incidents ("No
/// validations" when none fails); the chosen one shows its Business Rule, Steps to Correct and the
/// Results table, as `pasisync validate school-terms [--school CODE]` prints them. It only reads.
extension ConsoleServer {
    func validationPage(_ session: ConsoleSession, query: FormFields) async throws -> Response {
        let allSchools = try await schoolCourseMarks.schools().filter { Self.sees($0.schoolCode, session) }
        var school = query["school"]
        // A user limited to some schools checks one of them, never the district (every school's terms).
        if session.user.schools != nil, school == nil { school = allSchools.first?.schoolCode }
        var problem: Outcome?
        if let code = school, !allSchools.contains(where: { $0.schoolCode == code }) {
            problem = .refused("no school has code \(code) (pasisync schools lists them)", .notFound, on: .validations)
            school = session.user.schools != nil ? allSchools.first?.schoolCode : nil
        }
        let terms = school == nil && session.user.schools != nil ? [] : try await schoolCourseMarks.termSetups(schoolCode: school)
        let failures = SchoolTermValidations.validate(terms)
        let chosen = failures.first { $0.rule.code == query["rule"] } ?? failures.first
        let level = school.map { code in "school \(code) (\(allSchools.first { $0.schoolCode == code }?.name ?? ""))" } ?? "district"
        var context: [String: Any] = [
            "level": level, "terms": "\(terms.count)", "termsWord": terms.count == 1 ? "term" : "terms",
            "isDistrictAllowed": session.user.schools == nil, "district": school == nil,
            "schools": allSchools.map { ["code": $0.schoolCode, "name": $0.name, "selected": $0.schoolCode == school] as [String: Any] },
            "rules": failures.map { failure in
                let count = failure.incidents.count
                return ["code": failure.rule.code, "label": "\(failure.rule.name) (\(count) incident\(count == 1 ? "" : "s"))",
                        "selected": failure.rule == chosen?.rule] as [String: Any]
            },
            "hasFailures": !failures.isEmpty, "school": school ?? "",
        ]
        if let chosen {
            context["chosen"] = [
                "name": chosen.rule.name, "code": chosen.rule.code, "businessRule": chosen.rule.businessRule,
                "stepsToCorrect": chosen.rule.stepsToCorrect,
                "incidents": chosen.incidents.map { incident in
                    let term = incident.term
                    return ["school": term.schoolCode, "year": term.schoolYear.description, "term": term.abbreviation, "name": term.name,
                            "termID": "\(term.termID)", "detail": incident.detail]
                },
            ] as [String: Any]
        }
        let live = "/validations" + (school.map { "?school=\($0)" } ?? "")
        var response = Page.html(Templates.render("validations", context, layout: Self.frame(
            session, title: "PASI Data Validation Viewer", current: .validations, live: live, outcome: problem)))
        if let problem { response.status = problem.status }
        return response
    }
}

extension Templates {
    static let validations = """
        <h1>PASI Data Validation Viewer</h1>
        <p class="meta">School Terms Validations. Validation errors need to be corrected prior to the Initial Upload. This can be done at both the school level and the district level.</p>
        <form method="get" action="/validations" class="filters">
          <label>Level <select name="school">{{#isDistrictAllowed}}<option value=""{{#district}} selected{{/district}}>District</option>{{/isDistrictAllowed}}{{#schools}}<option value="{{code}}"{{#selected}} selected{{/selected}}>{{code}} {{name}}</option>{{/schools}}</select></label>
          <label>Choose Validations <select name="rule">{{#rules}}<option value="{{code}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/rules}}{{^rules}}<option value="">No validations</option>{{/rules}}</select></label>
          <button type="submit">Show</button>
        </form>
        <section id="validations" data-live>
        <p class="total">School Terms Validations, {{level}}: {{terms}} {{termsWord}} checked.</p>
        {{^hasFailures}}<p class="notice">No validations: every rule holds.</p>{{/hasFailures}}
        {{#chosen}}
        <h2>{{name}} <small><code>{{code}}</code></small></h2>
        <dl><dt>Business Rule</dt><dd>{{businessRule}}</dd><dt>Steps to Correct</dt><dd>{{stepsToCorrect}}</dd></dl>
        <h3>Results</h3>
        <table class="incidents">
          <thead><tr><th>School</th><th>School Year</th><th>Term</th><th>Name</th><th>Term ID</th><th>Detail</th></tr></thead>
          <tbody>{{#incidents}}<tr><td>{{school}}</td><td>{{year}}</td><td>{{term}}</td><td>{{name}}</td><td>{{termID}}</td><td>{{detail}}</td></tr>{{/incidents}}</tbody>
        </table>
        {{/chosen}}
        </section>
        <p class="meta">The same in a terminal: <code>pasisync validate school-terms{{#school}} --school {{school}}{{/school}}</code>; in psql: <code>SELECT * FROM sync.school_term_validations</code>.</p>
        """
}
