import { htmlDocument } from '../../harness/reporters/html/document.js';
import { htmlEscape as h } from '../../harness/reporters/escape.js';
import { LIVE_SCRIPT } from './live-script.js';

/**
 * The live page of `serve --ui`: the request list (newest first) with its filters and a detail
 * panel. Its script renders every value with `textContent` (never as markup, never as a link).
 */
export function livePage(opts: { readonly mockOrigin: string; readonly profile: string }): string {
  const body = `
<section class="live-top">
  <div class="panel status-bar">
    <span id="conn" class="badge v-none">connecting…</span>
    <span>mock <span class="mono">${h(opts.mockOrigin)}</span></span>
    <span class="muted small">rules of profile ${h(opts.profile)}, judged on each request alone (run <span class="mono">check</span> on the journal for sequences)</span>
    <span class="counts"><span id="count-shown">0</span> of <span id="count-all">0</span> requests shown · <span id="count-fail" class="badge v-fail">0 with a failed rule</span></span>
  </div>
</section>
<div class="live">
  <section class="panel list">
    <form class="filters" id="filters" autocomplete="off">
      <label>rule <select name="rule"><option value="">all</option></select></label>
      <label>verdict <select name="verdict">
        <option value="">all</option>
        <option value="fail">a rule failed</option>
        <option value="pass">every rule passed</option>
        <option value="rejected">rejected by the mock (4xx/5xx)</option>
        <option value="unhandled">unhandled</option>
      </select></label>
      <label>account <select name="account"><option value="">all</option></select></label>
      <label>path <input type="search" name="path" placeholder="e.g. /wham/"></label>
    </form>
    <table class="requests"><thead><tr><th class="num">#</th><th>time</th><th>method</th><th>path</th><th>status</th><th>credential (mock's verdict)</th><th>account</th><th>rules</th></tr></thead>
    <tbody id="requests"></tbody></table>
    <p id="empty" class="empty">waiting for requests: point a client at the mock's base URLs</p>
  </section>
  <aside class="panel detail" id="detail"><p class="empty">select a request to see its headers, rule verdicts and the mock's verdict on its credential</p></aside>
</div>`;
  return htmlDocument({
    title: 'codex-auth-conformance serve: live view',
    subtitle: 'read-only · loopback only · credentials shown as fingerprints',
    body,
    script: LIVE_SCRIPT,
    connect: "'self'",
    extraStyle: LIVE_STYLE,
  });
}

const LIVE_STYLE = `
.status-bar { display: flex; gap: 14px; align-items: center; flex-wrap: wrap; margin-bottom: 12px; }
.status-bar .counts { margin-left: auto; font-size: 12px; color: var(--muted); }
.live { display: grid; grid-template-columns: minmax(0, 1.9fr) minmax(380px, 1fr); gap: 14px; align-items: start; }
.list { overflow: auto; max-height: calc(100vh - 170px); }
.detail { position: sticky; top: 12px; max-height: calc(100vh - 40px); overflow: auto; }
table.requests td { font-size: 12.5px; }
table.requests td.path { font-family: ui-monospace, monospace; white-space: nowrap; }
table.requests td.account { font-family: ui-monospace, monospace; font-size: 11.5px; overflow-wrap: anywhere; max-width: 170px; }
.filters select { max-width: 230px; }
table.requests tbody tr { cursor: pointer; }
table.requests tbody tr:hover td { background: #f3f7fc; }
table.requests tbody tr.selected td { background: #e6f0fb; }
table.requests tbody tr.fresh td { animation: fresh 1.2s ease-out; }
@keyframes fresh { from { background: #fff7c2; } to { background: transparent; } }
.detail h3 { margin: 12px 0 4px; }
.detail .rule { display: grid; grid-template-columns: max-content 1fr; gap: 2px 10px; padding: 4px 0; border-bottom: 1px solid var(--line); }
.detail .rule .msg { grid-column: 2; font-size: 12px; color: var(--muted); word-break: break-word; }
`;
