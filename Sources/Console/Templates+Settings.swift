/// The templates of the settings, schedules and workers pages.
extension Templates {
    static let settings = """
        <h1>{{heading}}</h1>
        <p class="meta">{{introduction}}</p>
        {{^canEdit}}<p class="meta">You read the settings; an admin of every school changes them (or <code>pasisync settings set KEY VALUE</code>).</p>{{/canEdit}}
        {{#groups}}
        <h2>{{heading}}</h2>
        {{#hasNote}}<p class="meta">{{note}}</p>{{/hasNote}}
        <table class="settings">
          <thead><tr><th>Field</th><th>Value</th><th>Allowed</th><th>Default</th><th>Notes</th></tr></thead>
          <tbody>
          {{#settings}}
          <tr id="setting-{{key}}"{{^isDefault}} class="changed"{{/isDefault}}>
            <td>{{label}}{{marks}}<br><small><code>{{key}}</code></small></td>
            <td>{{#editable}}<form method="post" action="/settings/set" class="inline">
              <input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="back" value="{{back}}"><input type="hidden" name="key" value="{{key}}">
              {{#hasChoices}}<select name="value" aria-label="{{label}}">{{#choices}}<option{{#selected}} selected{{/selected}}>{{value}}</option>{{/choices}}</select>{{/hasChoices}}
              {{#number}}<input name="value" type="number" min="{{min}}" max="{{max}}" value="{{value}}" aria-label="{{label}}" size="6">{{/number}}
              {{#time}}<input name="value" type="time" value="{{value}}" aria-label="{{label}}">{{/time}}
              {{#text}}<input name="value" value="{{value}}" maxlength="{{maxLength}}" aria-label="{{label}}" size="24"{{#pattern}} pattern="{{pattern}}"{{/pattern}}>{{/text}}
              <button type="submit">Save</button></form>{{/editable}}{{^editable}}<strong>{{value}}</strong>{{/editable}}</td>
            <td>{{allowed}}</td>
            <td>{{#isDefault}}default{{/isDefault}}{{^isDefault}}{{default}}{{/isDefault}}</td>
            <td>{{#readOnly}}<span class="badge">read-only</span> {{/readOnly}}{{#restart}}<span class="badge">restart needed</span> {{/restart}}<small>{{note}}</small>{{^isDefault}} <small>changed by {{updatedBy}}</small>{{/isDefault}}</td>
          </tr>
          {{/settings}}
          </tbody>
        </table>
        {{/groups}}
        <p class="meta">A value outside what a setting allows is refused with its range, as <code>pasisync settings set</code> refuses it; psql sees the same settings in <code>sync.settings_page</code>. Every change is in the Audit Log.</p>
        """

    static let schedules = """
        <h1>Schedules</h1>
        <p class="meta">Times are in {{timeZone}}. The seed's schedules follow their settings (Synchronization Settings); in psql: <code>SELECT * FROM queue.schedule_list</code>.</p>
        <section id="schedules" data-live>
        <table class="schedules">
          <thead><tr><th>Schedule</th><th>Job</th><th>Rule</th><th>Status</th><th>Next run</th><th>Then</th><th>Follows</th><th>Last job</th></tr></thead>
          <tbody>
          {{#schedules}}
          <tr class="{{^enabled}}disabled{{/enabled}}"><td><code>{{name}}</code></td><td>{{title}} <small>{{kind}}</small></td><td>{{rule}}</td>
            <td>{{status}}</td><td>{{next}}</td><td><small>{{upcoming}}</small></td><td><small>{{follows}}</small></td>
            <td>{{#hasLastJob}}<a href="/queue/{{lastJob}}">{{lastJob}}</a>{{/hasLastJob}}</td></tr>
          {{/schedules}}
          {{^schedules}}<tr><td colspan="8">No schedules.</td></tr>{{/schedules}}
          </tbody>
        </table>
        </section>
        <p class="meta">"Then" lists the {{upcomingCount}} runs after now of each enabled schedule (<code>pasisync schedules --next {{upcomingCount}}</code>).</p>
        """

    static let workers = """
        <h1>Workers</h1>
        <section id="workers" data-live>
        <p class="total"><strong>{{count}}</strong> {{workersWord}} alive on {{hosts}}: {{running}} running in {{slots}}.</p>
        {{#hasOrphaned}}<p class="error">{{orphaned}} running jobs belong to no live worker: their worker stopped without finishing them; each runs again once its lease expires.</p>{{/hasOrphaned}}
        <table class="workers">
          <thead><tr><th>Host</th><th>PID</th><th>Worker</th><th>Jobs running</th><th>Slots</th><th>Up</th><th>Last heartbeat</th><th>State</th></tr></thead>
          <tbody>
          {{#workers}}
          <tr><td>{{host}}</td><td>{{pid}}</td><td><code>{{id}}</code></td><td>{{running}}</td><td>{{slots}}</td><td>{{up}}</td><td>{{heartbeat}} <small>{{heartbeatAgo}}</small></td>
            <td>{{#stopping}}stopping{{/stopping}}{{^stopping}}running{{/stopping}}</td></tr>
          {{/workers}}
          {{^workers}}<tr><td colspan="8">No worker has sent a heartbeat in the last 60 seconds: start them with <code>pasisync cluster</code>.</td></tr>{{/workers}}
          </tbody>
        </table>
        </section>
        <p class="meta">A worker is alive while its heartbeat is under 60 seconds old (<code>queue.live_workers</code>). Workers serve no HTTP: all they do is in PostgreSQL, which every console reads.</p>
        """
}
