import Mustache

/// The pages' Mustache templates, embedded in the binary (no resource bundle to install beside it).
/// `{{x}}` is HTML-escaped; the only `{{{x}}}` is the layout's body, itself rendered by a template.
enum Templates {
    static let library: MustacheLibrary = {
        var library = MustacheLibrary()
        for (name, text) in [("layout", layout), ("login", login), ("queue", queue), ("alerts", alerts), ("audit", audit), ("refused", refused),
                                  ("students", students), ("student", student), ("student-missing", studentMissing),
                                  ("job", job), ("job-missing", jobMissing),
                                  ("settings", settings), ("schedules", schedules), ("workers", workers),
                                  ("initial-sync", initialSync), ("initial-upload", initialUpload), ("der", der),
                                  ("validations", validations), ("reconciliation", reconciliation)] {
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
            <a href="/students"{{#onStudents}} aria-current="page"{{/onStudents}}>Students</a>
            <a href="/initial-sync"{{#onInitialSync}} aria-current="page"{{/onInitialSync}}>Initial Synchronization</a>
            <a href="/initial-upload"{{#onInitialUpload}} aria-current="page"{{/onInitialUpload}}>Initial Upload</a>
            <a href="/der"{{#onDER}} aria-current="page"{{/onDER}}>DER Initial Download</a>
            <a href="/validations"{{#onValidations}} aria-current="page"{{/onValidations}}>PASI Data Validation Viewer</a>
            <a href="/reconciliation"{{#onReconciliation}} aria-current="page"{{/onReconciliation}}>Reconciliation Process</a>
            <a href="/settings/synchronization"{{#onSynchronization}} aria-current="page"{{/onSynchronization}}>Synchronization Settings</a>
            <a href="/settings/caller"{{#onCaller}} aria-current="page"{{/onCaller}}>Caller Information</a>
            <a href="/settings/logs"{{#onLogs}} aria-current="page"{{/onLogs}}>Logs</a>
            <a href="/schedules"{{#onSchedules}} aria-current="page"{{/onSchedules}}>Schedules</a>
            <a href="/workers"{{#onWorkers}} aria-current="page"{{/onWorkers}}>Workers</a>
            <a href="/audit"{{#onAudit}} aria-current="page"{{/onAudit}}>Audit Log</a>
          </nav>
          <form method="get" action="/students" class="search" role="search">
            <input name="q" value="{{search}}" placeholder="ASN, student number or name" aria-label="Find a student" size="24">
            <button type="submit">Find</button>
          </form>
          <form method="post" action="/logout" class="logout">
            <input type="hidden" name="csrf" value="{{csrf}}">
            <span>{{name}} ({{role}}{{#isLimited}}, schools {{schools}}{{/isLimited}})</span> <button type="submit">Log out</button>
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
          <label>Made within <select name="since"><option value="">any time</option>{{#windows}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/windows}}</select></label>
          <button type="submit">Filter</button> <a href="/queue">Clear</a>
        </form>
        <section id="jobs" data-live>
        <table class="jobs">
          <thead><tr><th>ID</th><th>Job</th><th>State</th><th>Progress</th><th>Attempts</th><th>Age</th><th>Runtime</th><th>Worker</th><th>Last error</th>{{#canAct}}<th>Actions</th>{{/canAct}}</tr></thead>
          <tbody>
          {{#jobs}}
          <tr class="state-{{state}}">
            <td><a href="/queue/{{id}}">{{id}}</a></td><td>{{title}} <small>{{kind}}</small></td><td><span class="badge {{state}}">{{state}}</span></td>
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
        <p class="meta">Showing at most {{limit}} jobs, unfinished first, then the newest. A job's number opens its attempts and their errors.</p>
        {{#canAct}}
        <div class="actions bulk">
          {{#hasCancellable}}<form method="post" action="/queue/cancel-matching" class="inline">
            <input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="back" value="{{back}}">{{#filterFields}}<input type="hidden" name="{{name}}" value="{{value}}">{{/filterFields}}
            <button type="submit" class="danger">Cancel the {{cancelCount}} unfinished jobs of {{selection}}</button></form>{{/hasCancellable}}
          {{#hasRetryable}}<form method="post" action="/queue/retry-matching" class="inline">
            <input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="back" value="{{back}}">{{#filterFields}}<input type="hidden" name="{{name}}" value="{{value}}">{{/filterFields}}
            <button type="submit">Retry the {{retryCount}} failed or cancelled jobs of {{selection}}</button></form>{{/hasRetryable}}
        </div>
        {{/canAct}}
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
            <td>{{school}}</td><td>{{#hasStudentLink}}<a href="{{studentHref}}">{{studentLabel}}</a>{{/hasStudentLink}}{{^hasStudentLink}}{{student}}{{/hasStudentLink}}</td><td>{{asn}}</td><td>{{raised}}</td>{{#includeResolved}}<td>{{resolved}}</td>{{/includeResolved}}<td>{{message}}</td></tr>
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

    static let job = """
        {{#job}}
        <h1>Job {{id}}: {{title}} <small>{{kind}}</small></h1>
        <p><span class="badge {{state}}">{{state}}</span> · attempts {{attempts}} · age {{age}}{{#hasRuntime}} · runtime {{runtime}}{{/hasRuntime}}{{#hasWorker}} · worker {{worker}}{{/hasWorker}}</p>
        {{#hasTotal}}<p><progress value="{{done}}" max="{{total}}">{{percent}}%</progress> {{percent}}% <small>{{message}}</small></p>{{/hasTotal}}
        {{/job}}
        <section id="attempts" data-live>
        <h2>Attempts that ended in an error</h2>
        <table class="attempts">
          <thead><tr><th>Attempt</th><th>Ended</th><th>Worker</th><th>Error</th><th>Error kind</th></tr></thead>
          <tbody>
          {{#errors}}<tr><td>{{attempt}}</td><td>{{at}}</td><td>{{worker}}</td><td class="err">{{error}}</td><td>{{kind}}</td></tr>{{/errors}}
          {{^errors}}<tr><td colspan="5">No attempt of this job has ended in an error.</td></tr>{{/errors}}
          </tbody>
        </table>
        <p class="meta">Oldest first; a retried job keeps the errors of its earlier attempts. A transient error is retried
        while attempts remain; a permanent one fails the job at once.</p>
        </section>
        <p><a href="/queue">Synchronization Queue</a></p>
        """

    static let jobMissing = """
        <h1>No such job</h1>
        <p>The job may have been removed by Keep Synchronization History or Keep Finished Jobs. <a href="/queue">Synchronization Queue</a></p>
        """

    static let refused = """
        <h1>Refused</h1>
        <p><a href="/queue">Synchronization Queue</a> · <a href="/alerts">PASI Core Alerts</a></p>
        """

    static let audit = """
        <h1>Audit Log</h1>
        <p class="meta">Every action taken through the console, newest first (in psql: <code>SELECT * FROM console.audit_trail</code>).</p>
        {{#isLimited}}<p class="meta">Your user is limited to some schools: these are your own actions.</p>{{/isLimited}}
        <table class="audit">
          <thead><tr><th>When</th><th>User</th><th>Action</th><th>Target</th><th>Outcome</th><th>Detail</th></tr></thead>
          <tbody>
          {{#entries}}<tr class="{{outcome}}"><td>{{at}}</td><td>{{user}}</td><td>{{action}}</td><td>{{target}}</td><td>{{outcome}}</td><td>{{detail}}</td></tr>{{/entries}}
          {{^entries}}<tr><td colspan="6">Nothing yet.</td></tr>{{/entries}}
          </tbody>
        </table>
        """

    static let students = """
        <h1>Students</h1>
        <form method="get" action="/students" class="filters">
          <label>ASN, student number or name <input name="q" value="{{q}}" size="30" autofocus></label>
          <button type="submit">Find</button>
        </form>
        {{#searched}}
        <table class="students">
          <thead><tr><th>Name</th><th>SIS id</th><th>Student number</th><th>ASN</th><th>Birth date</th><th>Schools</th></tr></thead>
          <tbody>
          {{#hits}}<tr><td><a href="{{href}}">{{name}}</a>{{#onlyPASI}} <small>local PASI copy only</small>{{/onlyPASI}}</td><td>{{sisID}}</td><td>{{studentNumber}}</td><td>{{asn}}</td><td>{{birthDate}}</td><td>{{schools}}</td></tr>{{/hits}}
          {{^hits}}<tr><td colspan="6">No student matches.</td></tr>{{/hits}}
          </tbody>
        </table>
        <p class="meta">At most {{limit}} students, by name. A number finds an SIS id, a student number or an ASN; words find names that hold every word.</p>
        {{/searched}}
        """

    static let studentMissing = """
        <h1>No such student</h1>
        <p>No student with this key that you may see. <a href="/students">Find a student</a></p>
        """

    static let student = """
        <h1>{{name}}</h1>
        <p class="meta">{{#hasSIS}}SIS id {{sisID}} · student number {{studentNumber}} · {{/hasSIS}}ASN {{#hasASN}}{{asn}}{{/hasASN}}{{^hasASN}}none{{/hasASN}}
          {{#isMatched}} · matched ({{matchQuality}}){{/isMatched}}{{#hasPASI}} · PASI core version {{pasiVersion}}{{/hasPASI}}
          · <a href="/alerts?student={{alertsKey}}&amp;include_resolved=1">on the alerts page</a></p>
        <section id="record" data-live>
        <h2>The SIS and the local PASI copy</h2>
        {{^hasSIS}}<p class="meta">The SIS holds no student with this ASN.</p>{{/hasSIS}}
        {{^hasPASI}}<p class="meta">The local PASI data store holds no copy of this student{{^hasASN}} (no ASN, not matched){{/hasASN}}.</p>{{/hasPASI}}
        <p class="total"><strong>{{differences}}</strong> fields differ, as Initial Synchronization compares them (Smart Address Match {{smartAddressMatch}}).</p>
        <table class="compare">
          <thead><tr><th>Field</th><th>SIS</th><th>Local PASI copy</th></tr></thead>
          {{#groups}}
          <tbody>
          <tr class="group"><th colspan="3">{{group}}{{#differs}} <span class="badge differs">Conflict</span>{{/differs}}</th></tr>
          {{#fields}}<tr{{#differs}} class="differs"{{/differs}}><td>{{field}}{{#differs}} <span class="badge differs">differs</span>{{/differs}}</td><td>{{sis}}</td><td>{{pasi}}</td></tr>{{/fields}}
          </tbody>
          {{/groups}}
        </table>
        <h2>School enrolments</h2>
        <table class="enrolments">
          <thead><tr><th>Side</th><th>Key</th><th>School</th><th>Year</th><th>Grade</th><th>Entry</th><th>Exit</th><th>Status</th><th>Matched with</th></tr></thead>
          <tbody>
          {{#sisEnrolments}}<tr{{#unmatched}} class="unmatched"{{/unmatched}}><td>SIS</td><td>{{key}}</td><td>{{school}}</td><td>{{year}}</td><td>{{grade}}</td><td>{{entry}}</td><td>{{exit}}</td><td>{{status}}</td><td>{{matched}}{{#unmatched}}not matched{{/unmatched}}</td></tr>{{/sisEnrolments}}
          {{#pasiEnrolments}}<tr{{#unmatched}} class="unmatched"{{/unmatched}}><td>PASI</td><td>{{key}}</td><td>{{school}}</td><td>{{year}}</td><td>{{grade}}</td><td>{{entry}}</td><td>{{exit}}</td><td>{{status}}</td><td>{{matched}}{{#unmatched}}not matched{{/unmatched}}</td></tr>{{/pasiEnrolments}}
          </tbody>
        </table>
        <h2>Alerts</h2>
        <table class="alerts">
          <thead><tr><th>ID</th><th>Type</th><th>Status type</th><th>Conflict type</th><th>Code</th><th>Acknowledgement</th><th>School</th><th>Raised</th><th>Resolved</th><th>Message</th></tr></thead>
          <tbody>
          {{#alerts}}<tr><td>{{id}}</td><td>{{type}}</td><td>{{statusType}}</td><td>{{conflictType}}</td><td>{{code}}</td><td>{{acknowledgement}}</td><td>{{school}}</td><td>{{raised}}</td><td>{{resolved}}</td><td>{{message}}</td></tr>{{/alerts}}
          {{^alerts}}<tr><td colspan="10">No alerts about this student.</td></tr>{{/alerts}}
          </tbody>
        </table>
        <h2>Data events</h2>
        <table class="events">
          <thead><tr><th>ID</th><th>Record</th><th>Change</th><th>Columns</th><th>Occurred</th><th>Outcome</th><th>Handled</th><th>Detail</th></tr></thead>
          <tbody>
          {{#events}}<tr class="event-{{status}}"><td>{{id}}</td><td>{{table}} {{rowKey}}</td><td>{{operation}}</td><td>{{columns}}</td><td>{{occurred}}</td><td><span class="badge">{{status}}</span>{{#archived}} <small>archived</small>{{/archived}}</td><td>{{handled}}</td><td>{{detail}}</td></tr>{{/events}}
          {{^events}}<tr><td colspan="8">No data events for this student's SIS rows.</td></tr>{{/events}}
          </tbody>
        </table>
        <h2>PASI messages</h2>
        <table class="messages">
          <thead><tr><th>ID</th><th>Operation</th><th>Sent</th><th>Took</th><th>Outcome</th><th>Fault</th><th>Detail</th><th>Job</th></tr></thead>
          <tbody>
          {{#messages}}<tr><td>{{id}}</td><td>{{operation}}</td><td>{{sent}}</td><td>{{duration}}</td><td>{{outcome}}</td><td>{{fault}}</td><td>{{detail}}</td><td>{{job}}</td></tr>{{/messages}}
          {{^messages}}<tr><td colspan="8">No message in the newest {{messagesScanned}} of the messages log names this student.</td></tr>{{/messages}}
          </tbody>
        </table>
        <p class="meta">At most {{listLimit}} of each, newest first; the messages are those of the newest {{messagesScanned}} calls whose request or answer names the ASN (their bodies are not shown).</p>
        </section>
        """
}
