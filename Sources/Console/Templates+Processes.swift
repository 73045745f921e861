/// The templates of the Initial Synchronization, Initial Upload and DER Initial Download pages.
/// Each Run Now posts to `/queue/run`, which answers on the Synchronization Queue page.
extension Templates {
    static let lastJob = """
        <table class="jobs"><thead><tr><th>ID</th><th>Job</th><th>State</th><th>Progress</th><th>Age</th><th>Last error</th></tr></thead>
        <tbody><tr><td><a href="/queue/{{id}}">{{id}}</a></td><td>{{title}}</td><td><span class="badge {{state}}">{{state}}</span></td>
        <td>{{#hasTotal}}<progress value="{{done}}" max="{{total}}">{{percent}}%</progress> {{percent}}%{{/hasTotal}} <small>{{message}}</small></td>
        <td>{{age}}</td><td class="err">{{lastError}}</td></tr></tbody></table>
        """

    static let files = """
        <table class="files">
          <thead><tr><th>Job</th><th>School</th><th>File</th><th>Size</th><th>Written</th></tr></thead>
          <tbody>
          {{#files}}<tr><td><a href="/queue/{{job}}">{{job}}</a> <small>{{title}}</small></td><td>{{school}}</td><td><a href="{{href}}" download>{{name}}</a></td><td>{{bytes}}</td><td>{{created}}</td></tr>{{/files}}
          {{^files}}<tr><td colspan="5">No files yet.</td></tr>{{/files}}
          </tbody>
        </table>
        <p class="meta">The files hold students' personal data: every download is written to the Audit Log. Keep Job Files (days) removes them.</p>
        """

    static let initialSync = """
        <h1>Initial Synchronization</h1>
        <h2>Local PASI Data Store</h2>
        <p class="meta">This process downloads student and enrolment data from PASI one time. It must be run before Initial Synchronization to minimize the number of service calls made to PASI during Initial Synchronization.</p>
        <section id="download" data-live>
        {{#hasLastDownload}}{{#lastDownload}}\(lastJob){{/lastDownload}}{{/hasLastDownload}}
        {{^hasLastDownload}}<p>Not downloaded yet.</p>{{/hasLastDownload}}
        </section>
        {{#canAct}}<form method="post" action="/queue/run" class="inline"><input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="back" value="{{back}}">
          <input type="hidden" name="name" value="load-local-copy"><button type="submit">Download</button></form>{{/canAct}}
        <h2>Initial Synchronization</h2>
        <p class="meta">The Initial Synchronization process compares and matches data between the SIS and PASI for all Student and School Enrollment records available in the years of synchronization. If there are any discrepancies between the SIS and PASI then that information is presented for review as Conflict messages. This process does not change any data in either location.</p>
        <p>Process as District: <strong>{{#asDistrict}}on{{/asDistrict}}{{^asDistrict}}off{{/asDistrict}}</strong> · Regular Synchronization: <strong>{{regular}}</strong> · Event Monitoring: <strong>{{monitoring}}</strong> · Synchronization Extract files: <strong>{{extracts}}</strong> <a href="/settings/synchronization">Synchronization Settings</a></p>
        <section id="initial-sync" data-live>
        {{#hasLastSync}}{{#lastSync}}\(lastJob){{/lastSync}}{{/hasLastSync}}
        </section>
        {{#asDistrict}}
        <p class="meta">When running at a district/authority level, regular synchronization must be turned off.</p>
        <table class="runnow"><thead><tr><th>District/Authority</th>{{#canAct}}<th></th>{{/canAct}}</tr></thead>
        <tbody><tr><td>{{authority}}</td>{{#canAct}}<td><form method="post" action="/queue/run" class="inline"><input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="back" value="{{back}}">
          <input type="hidden" name="name" value="initial-sync"><button type="submit">Run Now</button></form></td>{{/canAct}}</tr></tbody></table>
        {{/asDistrict}}
        {{^asDistrict}}
        <p class="meta">When running school-by-school, regular synchronization can be on, but the school you want to initialize must be set to Inactive status (the School Type field; blank implies Inactive).</p>
        <table class="runnow"><thead><tr><th>School</th><th>Name</th><th>School Type</th>{{#canAct}}<th></th>{{/canAct}}</tr></thead>
        <tbody>
        {{#schools}}<tr><td>{{code}}</td><td>{{name}}</td><td>{{type}}</td>{{#canAct}}<td><form method="post" action="/queue/run" class="inline"><input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="back" value="{{back}}">
          <input type="hidden" name="name" value="initial-sync"><input type="hidden" name="school" value="{{code}}"><button type="submit">Run Now</button></form></td>{{/canAct}}</tr>{{/schools}}
        {{^schools}}<tr><td colspan="4">No schools.</td></tr>{{/schools}}
        </tbody></table>
        {{/asDistrict}}
        {{^canAct}}<p class="meta">Your role reads this page; an operator runs processes.</p>{{/canAct}}
        <h2>Initial Synchronization Log and Extract Files</h2>
        <p class="meta">The pasi-initialization log file is created only when the Initial Synchronization process is run. It contains a list of all the data differences between PASI and the SIS in one single file. If Synchronization Extract files is set to Yes, four tab-delimited files are created in addition.</p>
        \(files)
        """

    static let initialUpload = """
        <h1>Initial Upload</h1>
        <p class="meta">The Initial Upload process loads all the Sections, Course Enrollments and Evaluated Marks that are currently available in the SIS into PASI. Sections and Course Enrollments must be loaded in sequence with Sections first, followed by Course Enrollments. Evaluated Marks can be loaded independently. This process must be run for one school at a time.</p>
        <section id="schools" data-live>
        <table class="schools">
          <thead><tr><th>School</th><th>Name</th><th>Course Mark Integration Status</th><th>Sections</th><th>Course Enrollments</th><th>Evaluated Marks</th></tr></thead>
          <tbody>
          {{#schools}}<tr><td>{{code}}</td><td>{{name}}</td><td>{{status}}</td>{{#types}}<td>{{#done}}uploaded{{/done}}{{^done}}—{{/done}}</td>{{/types}}</tr>{{/schools}}
          {{^schools}}<tr><td colspan="6">No high schools.</td></tr>{{/schools}}
          </tbody>
        </table>
        </section>
        {{#canAct}}{{#hasSchools}}
        <h2>Run Now</h2>
        <form method="post" action="/queue/run" class="inline"><input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="back" value="{{back}}">
          <input type="hidden" name="name" value="initial-upload">
          <label>School <select name="school">{{#schoolCodes}}<option value="{{code}}">{{code}} {{name}}</option>{{/schoolCodes}}</select></label>
          <label>Upload Type <select name="type">{{#uploadTypes}}<option value="{{value}}">{{label}}</option>{{/uploadTypes}}</select></label>
          <button type="submit">Run Now</button></form>
        <p class="meta">Run each Upload Type separately. Before running the Initial Upload, log into PASIprep and ensure that no current school year high school course marks data is present.</p>
        <h2>Update Integration Status</h2>
        <form method="post" action="/initial-upload/status" class="inline"><input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="back" value="{{back}}">
          <label>School <select name="school">{{#schoolCodes}}<option value="{{code}}">{{code}} {{name}}</option>{{/schoolCodes}}</select></label>
          <label>Status <select name="status">{{#statuses}}<option>{{.}}</option>{{/statuses}}</select></label>
          <button type="submit">Confirm</button></form>
        <p class="meta">Caution: the high school must be set to Active; only then automatic data synchronization occurs. When the school is set to Inactive, no events are generated: changes to sections, course enrollments and evaluated marks will be lost and not synchronized to PASI.</p>
        {{/hasSchools}}{{/canAct}}
        {{^canAct}}<p class="meta">Your role reads this page; an operator runs the upload and updates the integration status.</p>{{/canAct}}
        <h2>Initial Upload files</h2>
        \(files)
        """

    static let der = """
        <h1>DER Initial Download</h1>
        <p class="meta">Diploma Exam courses are courses that require that the student pass an exam before they can pass the course. Click Run Now: when the status is Completed, all applicable diploma exam information in PASI is downloaded.</p>
        <section id="der" data-live>
        {{#hasLast}}{{#last}}\(lastJob){{/last}}{{/hasLast}}
        {{^hasLast}}<p>Not downloaded yet.</p>{{/hasLast}}
        </section>
        {{#canAct}}<form method="post" action="/queue/run" class="inline"><input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="back" value="{{back}}">
          <input type="hidden" name="name" value="der-download"><button type="submit">Run Now</button></form>{{/canAct}}
        {{^canAct}}<p class="meta">Your role reads this page; an operator runs processes.</p>{{/canAct}}
        <h2>Diploma Exam Items</h2>
        <p class="meta">Step 2: under Diploma Exam Items, set all options to Enabled (Synchronization Settings). Double asterisks ( ** ) indicate that the item is synchronized one way from PASI only.</p>
        <table class="settings"><tbody>{{#settings}}<tr><td>{{label}}{{marks}}</td><td><strong>{{value}}</strong></td></tr>{{/settings}}</tbody></table>
        <p><a href="/settings/synchronization">Synchronization Settings</a></p>
        <h2>Confirm Diploma Exam Course Section Data is Correct</h2>
        <p class="meta">Step 3: a diploma exam course must say Diploma Course = Yes, and each of its sections must have a value in the Exam Registration Date and Exam Writing Center fields (<code>pasisync validate diploma-sections</code>).</p>
        <section id="diploma-sections" data-live>
        <p class="total">Diploma Exam Course Section Validations: {{checked}}.</p>
        {{^hasFailures}}<p class="notice">No validations: every rule holds.</p>{{/hasFailures}}
        {{#failures}}
        <h3>{{name}} <small>({{count}} incidents, <code>{{code}}</code>)</small></h3>
        <dl><dt>Business Rule</dt><dd>{{businessRule}}</dd><dt>Steps to Correct</dt><dd>{{stepsToCorrect}}</dd></dl>
        <table class="incidents">
          <thead><tr><th>Course</th><th>Name</th><th>School</th><th>School Year</th><th>Term</th><th>Section</th><th>Section ID</th><th>Detail</th></tr></thead>
          <tbody>{{#incidents}}<tr><td>{{course}}</td><td>{{name}}</td><td>{{school}}</td><td>{{year}}</td><td>{{term}}</td><td>{{section}}</td><td>{{sectionID}}</td><td>{{detail}}</td></tr>{{/incidents}}</tbody>
        </table>
        {{/failures}}
        </section>
        <h2>Files</h2>
        \(files)
        """
}
