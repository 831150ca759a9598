/**
 * The stylesheet both pages share (the HTML report and the live view of `serve`). Inline only:
 * no font, image or stylesheet is ever loaded from anywhere (the pages' CSP forbids it too).
 */
export const PAGE_STYLE = `
:root {
  --bg: #f6f7f9; --panel: #fff; --ink: #1c2430; --muted: #5b6675; --line: #dde2e8;
  --pass: #1a7f37; --pass-bg: #dafbe1; --fail: #b42318; --fail-bg: #fee4e2; --error: #8e2bb8; --error-bg: #f4e3fb;
  --skip: #9a6700; --skip-bg: #fff4cc; --unsup: #57606a; --unsup-bg: #eaeef2; --known: #b35900; --known-bg: #ffe9d2;
  --accent: #0b5cad; --code-bg: #f1f3f6;
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--ink); font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
header.top { background: #14202e; color: #fff; padding: 14px 24px; display: flex; align-items: baseline; gap: 16px; flex-wrap: wrap; }
header.top h1 { font-size: 18px; margin: 0; font-weight: 600; }
header.top .sub { color: #b8c4d2; font-size: 13px; }
main { padding: 16px 24px 40px; max-width: 1500px; margin: 0 auto; }
section { margin-bottom: 22px; }
h2 { font-size: 16px; margin: 0 0 10px; }
h3 { font-size: 14px; margin: 0; }
.panel { background: var(--panel); border: 1px solid var(--line); border-radius: 8px; padding: 12px 14px; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(380px, 1fr)); gap: 12px; }
.card h3 { display: flex; justify-content: space-between; gap: 8px; align-items: baseline; }
.card .meta { color: var(--muted); font-size: 12px; margin: 4px 0 8px; }
.card .counts { display: flex; gap: 6px; flex-wrap: wrap; }
.card .problems { color: var(--fail); font-size: 12px; margin-top: 6px; }
.ok { color: var(--pass); font-weight: 600; white-space: nowrap; }
.notok { color: var(--fail); font-weight: 600; white-space: nowrap; }
.badge { display: inline-block; border-radius: 10px; padding: 0 8px; font-size: 12px; font-weight: 600; white-space: nowrap; line-height: 20px; }
.v-pass { color: var(--pass); background: var(--pass-bg); }
.v-fail { color: var(--fail); background: var(--fail-bg); }
.v-error { color: var(--error); background: var(--error-bg); }
.v-skip { color: var(--skip); background: var(--skip-bg); }
.v-unsupported, .v-notReached, .v-none { color: var(--unsup); background: var(--unsup-bg); }
.v-known { color: var(--known); background: var(--known-bg); }
table { border-collapse: collapse; width: 100%; }
table.areas { width: auto; min-width: 420px; }
th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-size: 12px; color: var(--muted); font-weight: 600; background: #fafbfc; position: sticky; top: 0; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.hidden, article.hidden, li.hidden { display: none; }
.filters { display: flex; gap: 14px; flex-wrap: wrap; align-items: center; margin-bottom: 10px; }
.filters label { font-size: 12px; color: var(--muted); display: flex; gap: 6px; align-items: center; }
.filters select, .filters input { font: inherit; padding: 3px 6px; border: 1px solid var(--line); border-radius: 6px; background: #fff; }
.filters .shown { margin-left: auto; font-size: 12px; color: var(--muted); }
.matrix td.rule { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12.5px; white-space: nowrap; }
.matrix td.title { color: var(--muted); font-size: 12.5px; }
.matrix td.cell { white-space: nowrap; }
.matrix td.cell a { text-decoration: none; }
.level { font-size: 11px; font-weight: 700; letter-spacing: .03em; }
.level-MUST { color: #8a1c1c; }
.level-SHOULD { color: #6b5400; }
code, pre, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12.5px; }
pre { background: var(--code-bg); border-radius: 6px; padding: 8px 10px; margin: 4px 0; white-space: pre-wrap; word-break: break-word; }
article.failure { background: var(--panel); border: 1px solid var(--line); border-left: 4px solid var(--fail); border-radius: 8px; padding: 12px 14px; margin-bottom: 14px; }
article.failure.error { border-left-color: var(--error); }
article.failure.known { border-left-color: var(--known); }
article.failure h3 { margin: 12px 0 4px; }
article.failure header h3 { margin: 0; }
article.failure header { display: flex; gap: 10px; align-items: baseline; flex-wrap: wrap; margin-bottom: 6px; }
article.failure .message { font-weight: 500; margin: 6px 0; }
.kv { display: grid; grid-template-columns: max-content 1fr; gap: 3px 12px; margin: 6px 0; }
.kv > dt { color: var(--muted); font-size: 12px; }
.kv > dd { margin: 0; }
.side { display: grid; grid-template-columns: 1fr; gap: 10px; }
table.headers td:first-child { font-family: ui-monospace, monospace; font-size: 12.5px; white-space: nowrap; }
table.headers td { font-family: ui-monospace, monospace; font-size: 12.5px; word-break: break-all; }
tr.h-mismatch td { background: #fff1f0; }
tr.h-missing td { background: #fff1f0; }
tr.h-unexpected td { background: #fff8e6; }
.replay { display: flex; gap: 8px; align-items: stretch; }
.replay pre { flex: 1; margin: 0; }
button.copy { font: inherit; font-size: 12px; border: 1px solid var(--line); background: #fff; border-radius: 6px; padding: 2px 10px; cursor: pointer; }
button.copy:hover { border-color: var(--accent); color: var(--accent); }
details { margin: 6px 0; }
details > summary { cursor: pointer; color: var(--accent); font-size: 13px; }
.journal .req { border: 1px solid var(--line); border-radius: 6px; padding: 6px 8px; margin: 6px 0; background: #fcfcfd; }
.journal .req .line { font-family: ui-monospace, monospace; font-size: 12.5px; word-break: break-all; }
.lineage { background: #eef6ff; border: 1px solid #c6ddf5; border-radius: 6px; padding: 4px 8px; margin-top: 4px; }
.muted { color: var(--muted); }
.small { font-size: 12px; }
.empty { color: var(--muted); font-style: italic; }
`;
