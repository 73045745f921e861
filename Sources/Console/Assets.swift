/// The stylesheet and the live-region script, served from `/static/` (the Content-Security-Policy
/// allows only this origin's files: no inline style or script anywhere).
enum Assets {
    static let css = """
        :root { color-scheme: light dark; --bg: #fdfdfc; --fg: #1d232a; --muted: #5b6570; --line: #d9dde1;
          --accent: #0b5cad; --ok: #1b7a3a; --warn: #9a6200; --bad: #b3261e; --head: #eef1f4; }
        @media (prefers-color-scheme: dark) {
          :root { --bg: #15191d; --fg: #e4e8ec; --muted: #9aa5b0; --line: #2f373f; --accent: #79b2f0;
            --ok: #6fcf8a; --warn: #f0b660; --bad: #f28b82; --head: #1f252b; }
        }
        * { box-sizing: border-box; }
        body { margin: 0; background: var(--bg); color: var(--fg); font: 15px/1.45 system-ui, sans-serif; }
        header.top { display: flex; flex-wrap: wrap; gap: 1rem; align-items: center; padding: .6rem 1rem;
          border-bottom: 1px solid var(--line); background: var(--head); }
        .brand { font-weight: 700; }
        nav { display: flex; gap: 1rem; flex: 1; }
        nav a { color: var(--fg); text-decoration: none; padding: .2rem 0; }
        nav a[aria-current] { border-bottom: 2px solid var(--accent); }
        main { padding: 1rem; max-width: 110rem; }
        h1 { font-size: 1.4rem; margin: .2rem 0 1rem; } h2 { font-size: 1.1rem; margin-top: 1.6rem; }
        a { color: var(--accent); }
        table { border-collapse: collapse; width: 100%; margin: .5rem 0; }
        th, td { border-bottom: 1px solid var(--line); padding: .3rem .5rem; text-align: left; vertical-align: top; }
        th { background: var(--head); font-weight: 600; }
        td.err { color: var(--bad); max-width: 28rem; overflow-wrap: anywhere; }
        small, .meta { color: var(--muted); }
        form.inline, td form { display: inline-flex; gap: .4rem; align-items: center; flex-wrap: wrap; margin: 0; }
        .filters, .actions { display: flex; flex-wrap: wrap; gap: .8rem; align-items: end; margin: 0 0 .8rem; }
        .login { display: grid; gap: .8rem; max-width: 22rem; }
        .login label { display: grid; gap: .2rem; }
        input, select, button { font: inherit; color: inherit; background: var(--bg); border: 1px solid var(--line);
          border-radius: 4px; padding: .25rem .5rem; }
        button { cursor: pointer; background: var(--head); }
        button.danger { border-color: var(--bad); color: var(--bad); }
        button:focus-visible, a:focus-visible, input:focus-visible, select:focus-visible { outline: 2px solid var(--accent); outline-offset: 1px; }
        .logout { display: flex; gap: .5rem; align-items: center; }
        .notice, .error { padding: .5rem .8rem; border-radius: 4px; border: 1px solid; }
        .notice { color: var(--ok); } .error { color: var(--bad); }
        .badge { padding: 0 .4rem; border-radius: 3px; border: 1px solid var(--line); }
        .badge.running { color: var(--accent); } .badge.completed { color: var(--ok); }
        .badge.failed { color: var(--bad); } .badge.retrying, .badge.cancelled { color: var(--warn); }
        progress { width: 8rem; vertical-align: middle; }
        tr.refused td { color: var(--bad); }
        table.audit td:first-child { white-space: nowrap; }
        form.search { display: flex; gap: .4rem; }
        table.compare tr.differs td { background: color-mix(in srgb, var(--warn) 14%, transparent); }
        table.compare tr.group th { background: transparent; border-bottom: 2px solid var(--line); padding-top: .8rem; }
        .badge.differs { color: var(--warn); border-color: var(--warn); font-size: .85em; }
        tr.unmatched td:last-child { color: var(--warn); }
        """

    /// Every few seconds, while the page is shown and nothing in it is being filled in, fetches the
    /// same page and swaps its `[data-live]` regions (the good_job way). Without it the page is whole.
    static let js = """
        (function () {
          var main = document.getElementById("main");
          if (!main || !document.querySelector("[data-live]")) return;
          var source = main.getAttribute("data-live-src") || location.href;
          function busy() {
            var a = document.activeElement;
            return document.hidden || (a && a !== document.body && /INPUT|SELECT|TEXTAREA|BUTTON/.test(a.tagName));
          }
          function refresh() {
            if (busy()) return;
            fetch(source, { credentials: "same-origin", headers: { "Accept": "text/html" } })
              .then(function (r) { return r.ok && !r.redirected ? r.text() : null; })
              .then(function (html) {
                if (!html) return;
                var next = new DOMParser().parseFromString(html, "text/html");
                document.querySelectorAll("[data-live]").forEach(function (old) {
                  var fresh = old.id && next.getElementById(old.id);
                  if (fresh) old.replaceWith(fresh);
                });
              })
              .catch(function () {});
          }
          setInterval(refresh, 3000);
        })();
        """
}
