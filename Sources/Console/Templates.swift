import Mustache

/// The pages' Mustache templates, embedded in the binary (no resource bundle to install beside it).
/// `{{x}}` is HTML-escaped; the only `{{{x}}}` is the layout's body, itself rendered by a template.
enum Templates {
    static let library: MustacheLibrary = {
        var library = MustacheLibrary()
        for (name, text) in [("layout", layout), ("login", login), ("queue", queue), ("alerts", alerts), ("audit", audit), ("refused", refused)] {
            // The templates are constants of this file: a parse error is a programming error, caught by every route test.
            try! library.register(text, named: name)
        }
        return library
    }()

    /// Renders `page` with `context`, inside the layout.
    static func render(_ page: String, _ context: [String: Any], layout frame: [String: Any]) -> String {
        // The page's forms carry the same CSRF token as the layout's (a page's context is rendered apart).
        var inner = context
        if inner["csrf"] == nil, let csrf = frame["csrf"] { inner["csrf"] = csrf }
        var outer = frame
        outer["body"] = library.render(inner, withTemplate: page) ?? ""
        return library.render(outer, withTemplate: "layout") ?? ""
    }

    static let layout = """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{title}} · pasisync</title>
        <link rel="stylesheet" href="/static/console.css">
        <script src="/static/console.js" defer></script>
        </head>
        <body>
        <header class="top">
          <span class="brand">pasisync</span>
          {{#user}}
          <nav>
            <a href="/queue"{{#onQueue}} aria-current="page"{{/onQueue}}>Synchronization Queue</a>
            <a href="/alerts"{{#onAlerts}} aria-current="page"{{/onAlerts}}>PASI Core Alerts</a>
            <a href="/audit"{{#onAudit}} aria-current="page"{{/onAudit}}>Audit Log</a>
          </nav>
          <form method="post" action="/logout" class="logout">
            <input type="hidden" name="csrf" value="{{csrf}}">
            <span>{{name}} ({{role}})</span> <button type="submit">Log out</button>
          </form>
          {{/user}}
        </header>
        <main id="main" data-live-src="{{liveSource}}">
        {{#notice}}<p class="notice" role="status">{{notice}}</p>{{/notice}}
        {{#error}}<p class="error" role="alert">{{error}}</p>{{/error}}
        {{{body}}}
        </main>
        </body>
        </html>
        """

    static let login = """
        <h1>Log in</h1>
        <form method="post" action="/login" class="login">
          <input type="hidden" name="csrf" value="{{csrf}}">
          <label>User name <input name="name" autocomplete="username" required value="{{name}}"></label>
          <label>Password <input name="password" type="password" autocomplete="current-password" required></label>
          <button type="submit">Log in</button>
        </form>
        """

    static let queue = """
        <h1>Synchronization Queue</h1>
        <form method="get" action="/queue" class="filters">
          <label>Kind <select name="kind"><option value="">any</option>{{#kinds}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/kinds}}</select></label>
          <label>State <select name="state"><option value="">any</option>{{#states}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{value}}</option>{{/states}}</select></label>
          <button type="submit">Filter</button> <a href="/queue">Clear</a>
        </form>
        <section id="jobs" data-live>
        <table class="jobs">
          <thead><tr><th>ID</th><th>Job</th><th>State</th><th>Progress</th><th>Attempts</th><th>Age</th><th>Runtime</th><th>Worker</th><th>Last error</th>{{#canAct}}<th>Actions</th>{{/canAct}}</tr></thead>
          <tbody>
          {{#jobs}}
          <tr class="state-{{state}}">
            <td>{{id}}</td><td>{{title}} <small>{{kind}}</small></td><td><span class="badge {{state}}">{{state}}</span></td>
            <td>{{#hasTotal}}<progress value="{{done}}" max="{{total}}">{{percent}}%</progress> {{percent}}%{{/hasTotal}}{{^hasTotal}}{{done}}{{/hasTotal}} <small>{{message}}</small></td>
            <td>{{attempts}}</td><td>{{age}}</td><td>{{runtime}}</td><td>{{worker}}</td><td class="err">{{lastError}}</td>
            {{#canAct}}<td>
              {{#cancellable}}<form method="post" action="/queue/{{id}}/cancel"><input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="back" value="{{back}}"><button type="submit">Cancel</button></form>{{/cancellable}}
              {{#retryable}}<form method="post" action="/queue/{{id}}/retry"><input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="back" value="{{back}}"><button type="submit">Retry</button></form>{{/retryable}}
            </td>{{/canAct}}
          </tr>
          {{/jobs}}
          {{^jobs}}<tr><td colspan="10">No jobs match.</td></tr>{{/jobs}}
          </tbody>
        </table>
        <p class="meta">Showing at most {{limit}} jobs, unfinished first, then the newest.</p>
        <h2>By kind and state</h2>
        <table class="counts">
          <thead><tr><th>Kind</th>{{#stateNames}}<th>{{.}}</th>{{/stateNames}}</tr></thead>
          <tbody>{{#counts}}<tr><td>{{kind}}</td>{{#cells}}<td>{{.}}</td>{{/cells}}</tr>{{/counts}}</tbody>
        </table>
        </section>
        <h2>Run Now</h2>
        {{^canAct}}<p class="meta">Your role reads the queue; an operator runs processes.</p>{{/canAct}}
        <table class="runnow">
          <thead><tr><th>Process</th><th>Job</th>{{#canAct}}<th></th>{{/canAct}}</tr></thead>
          <tbody>
          {{#processes}}
          <tr><td>{{process}}</td><td><code>{{name}}</code></td>
          {{#canAct}}<td><form method="post" action="/queue/run" class="inline">
            <input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="back" value="{{back}}"><input type="hidden" name="name" value="{{name}}">
            {{#takesSchool}}<label>School <input name="school" size="5" inputmode="numeric" pattern="[0-9]{4}"{{#needsSchool}} required{{/needsSchool}}></label>{{/takesSchool}}
            {{#takesType}}<label>Type <select name="type" required>{{#uploadTypes}}<option>{{.}}</option>{{/uploadTypes}}</select></label>{{/takesType}}
            <button type="submit">Run Now</button></form></td>{{/canAct}}
          </tr>
          {{/processes}}
          </tbody>
        </table>
        """

    static let alerts = """
        <h1>PASI Core Alerts</h1>
        <form method="get" action="/alerts" class="filters">
          {{#selects}}<label>{{label}} <select name="{{name}}"><option value="">any</option>{{#options}}<option{{#selected}} selected{{/selected}}>{{value}}</option>{{/options}}</select></label>{{/selects}}
          <label>Alert code <input name="code" size="12" value="{{code}}"></label>
          <label>School <input name="school" size="5" value="{{school}}"></label>
          <label>Student <input name="student" size="12" value="{{student}}" title="SIS student id, student number or ASN"></label>
          <label><input type="checkbox" name="include_resolved" value="1"{{#includeResolved}} checked{{/includeResolved}}> resolved too</label>
          <button type="submit">Filter</button> <a href="/alerts">Clear</a>
        </form>
        <section id="counts" data-live>
        <p class="total"><strong>{{total}}</strong> {{which}} match.</p>
        <table class="counts">
          <thead><tr><th>Alert type</th><th>Status type</th><th>Conflict type</th><th>Acknowledgement</th><th>Alerts</th><th>Oldest</th></tr></thead>
          <tbody>{{#counts}}<tr><td>{{type}}</td><td>{{statusType}}</td><td>{{conflictType}}</td><td>{{acknowledgement}}</td><td>{{alerts}}</td><td>{{oldest}}</td></tr>{{/counts}}</tbody>
        </table>
        </section>
        <form method="post" action="/alerts/acknowledge" class="bulk">
        <input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="back" value="{{back}}">
        {{#canAct}}
        <p class="actions">
          <label>Set selected to <select name="as">{{#acknowledgements}}<option{{#selected}} selected{{/selected}}>{{value}}</option>{{/acknowledgements}}</select></label>
          <button type="submit">Acknowledge selected</button>
          <button type="submit" formaction="/alerts/delete" class="danger">Delete selected</button>
        </p>
        {{/canAct}}
        <table class="alerts">
          <thead><tr>{{#canAct}}<th></th>{{/canAct}}<th>ID</th><th>Type</th><th>Status type</th><th>Conflict type</th><th>Code</th><th>Acknowledgement</th><th>School</th><th>Student</th><th>ASN</th><th>Raised</th>{{#includeResolved}}<th>Resolved</th>{{/includeResolved}}<th>Message</th></tr></thead>
          <tbody>
          {{#alerts}}
          <tr>{{#canAct}}<td><input type="checkbox" name="id" value="{{id}}" aria-label="select alert {{id}}"></td>{{/canAct}}
            <td>{{id}}</td><td>{{type}}</td><td>{{statusType}}</td><td>{{conflictType}}</td><td>{{code}}</td><td>{{acknowledgement}}</td>
            <td>{{school}}</td><td>{{student}}</td><td>{{asn}}</td><td>{{raised}}</td>{{#includeResolved}}<td>{{resolved}}</td>{{/includeResolved}}<td>{{message}}</td></tr>
          {{/alerts}}
          {{^alerts}}<tr><td colspan="13">No alerts match.</td></tr>{{/alerts}}
          </tbody>
        </table>
        </form>
        <p class="meta">Newest first, at most {{limit}} shown.</p>
        {{#canAct}}
        <h2>Delete by type</h2>
        <form method="post" action="/alerts/delete-by-type" class="inline">
          <input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="back" value="{{back}}">
          <label>Alert type <select name="type" required>{{#alertTypes}}<option>{{.}}</option>{{/alertTypes}}</select></label>
          <label>Alert code <input name="code" size="12"></label>
          <label>Conflict type <select name="conflict_type"><option value="">any</option>{{#conflictTypes}}<option>{{.}}</option>{{/conflictTypes}}</select></label>
          <button type="submit" class="danger">Delete every open alert of this type</button>
        </form>
        <p class="meta">{{deletionRule}}</p>
        {{/canAct}}
        """

    static let refused = """
        <h1>Refused</h1>
        <p><a href="/queue">Synchronization Queue</a> · <a href="/alerts">PASI Core Alerts</a></p>
        """

    static let audit = """
        <h1>Audit Log</h1>
        <p class="meta">Every action taken through the console, newest first (in psql: <code>SELECT * FROM console.audit_trail</code>).</p>
        <table class="audit">
          <thead><tr><th>When</th><th>User</th><th>Action</th><th>Target</th><th>Outcome</th><th>Detail</th></tr></thead>
          <tbody>
          {{#entries}}<tr class="{{outcome}}"><td>{{at}}</td><td>{{user}}</td><td>{{action}}</td><td>{{target}}</td><td>{{outcome}}</td><td>{{detail}}</td></tr>{{/entries}}
          {{^entries}}<tr><td colspan="6">Nothing yet.</td></tr>{{/entries}}
          </tbody>
        </table>
        """
}
