import type { CaseEvidence, EvidenceRequest, ExpectedSendEvidence } from '../../case-evidence.js';
import { lineageFields } from '../../lineage-fields.js';
import type { CaseResult } from '../../results.js';
import { htmlEscape as h } from '../escape.js';

/**
 * One failing result line as HTML: its message, the counterexample, the rule's expected and actual
 * values, the expected and the actual header set side by side, the case's journal (with any
 * lineage-like fields the journal carries, shown as they come) and the replay command with a copy
 * button. Every value comes from the results stream, which holds credentials as fingerprints only;
 * URLs are shown as text, never as a link or a source the browser would load.
 */
export function evidenceHtml(c: CaseResult, anchor: string): string {
  const out: string[] = [`<p class="message">${h(c.message)}</p>`, '<dl class="kv">', `<dt>case</dt><dd class="mono">${h(c.caseId)}</dd>`];
  if (c.expected !== undefined) out.push(`<dt>expected</dt><dd class="mono">${h(c.expected)}</dd>`);
  if (c.actual !== undefined) out.push(`<dt>actual</dt><dd class="mono">${h(c.actual)}</dd>`);
  if (c.casesToFailure !== undefined) out.push(`<dt>found after</dt><dd>${c.casesToFailure} case(s) (examples and generated)</dd>`);
  if (c.expectedFailure !== undefined) out.push(`<dt>known failure</dt><dd>${h(c.expectedFailure.reason)}${c.expectedFailure.link !== undefined ? ` <span class="mono">(${h(c.expectedFailure.link)})</span>` : ''}</dd>`);
  out.push('</dl>');
  if (c.counterexample !== undefined) out.push('<h3>Counterexample</h3>', `<pre class="counterexample">${h(c.counterexample)}</pre>`);
  if (c.evidence !== undefined) out.push(wireHtml(c.evidence));
  if (c.replay !== undefined) {
    const id = `${anchor}-replay`;
    out.push('<h3>Replay</h3>', `<div class="replay"><pre id="${h(id)}" class="replay-command">${h(c.replay.command)}</pre><button type="button" class="copy" data-target="${h(id)}">copy</button></div>`);
  }
  return out.join('\n');
}

function wireHtml(ev: CaseEvidence): string {
  const out: string[] = [];
  const expected = ev.expected;
  if (expected?.kind === 'refuse') {
    out.push('<h3>Expected</h3>', `<p>a refusal before any request (${h(expected.ruleId)}: ${h(expected.reason)})</p>`);
  } else if (expected?.kind === 'send') {
    const actual = matchingRequest(expected, ev.journal);
    out.push('<h3>Header sets: expected and actual</h3>', headerSetsHtml(expected, actual));
  }
  out.push(`<h3>Journal of the case (${ev.journal.length + (ev.journalOmitted ?? 0)} request${ev.journal.length + (ev.journalOmitted ?? 0) === 1 ? '' : 's'})</h3>`);
  if (ev.journal.length === 0) out.push('<p class="empty">the mock saw no request in this case</p>');
  out.push('<div class="journal">', ...ev.journal.map(requestHtml), '</div>');
  if (ev.journalOmitted !== undefined) out.push(`<p class="muted small">${ev.journalOmitted} more request(s) not kept in the results stream</p>`);
  return out.join('\n');
}

/** The request the expectation describes: same URL, else same path, else the first one. */
function matchingRequest(expected: ExpectedSendEvidence, journal: readonly EvidenceRequest[]): EvidenceRequest | undefined {
  const path = (url: string): string => {
    try {
      return new URL(url).pathname;
    } catch {
      return url;
    }
  };
  return journal.find((e) => e.url === expected.url) ?? journal.find((e) => path(e.url) === path(expected.url)) ?? journal[0];
}

type HeaderRow = { readonly name: string; readonly expected: string; readonly actual: string; readonly status: 'ok' | 'mismatch' | 'missing' | 'unexpected' | 'unjudged' };

function headerRows(expected: ExpectedSendEvidence, actual: Readonly<Record<string, string>>): HeaderRow[] {
  const rows: HeaderRow[] = [];
  const seen = new Set<string>();
  for (const [name, value] of Object.entries(expected.exact)) {
    seen.add(name);
    const got = actual[name];
    rows.push({ name, expected: value, actual: got ?? '(absent)', status: got === undefined ? 'missing' : got === value ? 'ok' : 'mismatch' });
  }
  for (const [name, pattern] of Object.entries(expected.pattern)) {
    seen.add(name);
    const got = actual[name];
    rows.push({ name, expected: `matches ${pattern}`, actual: got ?? '(absent)', status: got === undefined ? 'missing' : 'unjudged' });
  }
  for (const name of expected.absent) {
    seen.add(name);
    const got = actual[name];
    if (got !== undefined) rows.push({ name, expected: '(must be absent)', actual: got, status: 'unexpected' });
  }
  for (const [name, value] of Object.entries(actual)) {
    if (!seen.has(name)) rows.push({ name, expected: '', actual: value, status: 'unjudged' });
  }
  return rows;
}

const STATUS_TEXT: Readonly<Record<HeaderRow['status'], string>> = { ok: 'as expected', mismatch: 'differs', missing: 'missing', unexpected: 'must not be sent', unjudged: '' };

function headerSetsHtml(expected: ExpectedSendEvidence, actual: EvidenceRequest | undefined): string {
  const absent = expected.absent.length > 0 ? `<p class="muted small">must be absent: <span class="mono">${h(expected.absent.join(', '))}</span></p>` : '';
  const target = `<p class="small">expected <span class="mono">${h(expected.method)} ${h(expected.url)}</span>; actual ${actual === undefined ? '<span class="empty">no request</span>' : `<span class="mono">#${actual.seq} ${h(actual.method)} ${h(actual.url)}</span>`}</p>`;
  const rows = headerRows(expected, actual?.headers ?? {});
  const body = rows
    .map((r) => `<tr class="h-${r.status}"><td>${h(r.name)}</td><td>${h(r.expected)}</td><td>${h(r.actual)}</td><td class="small">${STATUS_TEXT[r.status]}</td></tr>`)
    .join('');
  return `${target}<table class="headers side-by-side"><thead><tr><th>header</th><th>expected</th><th>actual</th><th></th></tr></thead><tbody>${body}</tbody></table>${absent}`;
}

const KNOWN_FIELDS = new Set(['seq', 'time', 'caseId', 'method', 'url', 'headers', 'bodyDigest', 'credential', 'verdict']);

function credentialText(e: EvidenceRequest): string {
  const c = e.credential;
  switch (c.kind) {
    case 'none':
      return 'no credential';
    case 'bearer': {
      const i = c.issued;
      if (i === undefined) return `Bearer ${c.fingerprint}: not issued by the mock`;
      return `Bearer ${c.fingerprint}: ${i.tokenKind}${i.accountId !== undefined ? `, account ${i.accountId}` : ''}${i.isFedramp === true ? ', FedRAMP' : ''}${i.expired ? ', EXPIRED' : ''}`;
    }
    case 'agentAssertion':
      return `AgentAssertion: runtime ${c.agentRuntimeId ?? '?'}, task ${c.taskId ?? '?'}, signature ${c.signatureValid ? 'valid' : 'INVALID'}, task ${c.taskIssuedToRuntime ? 'issued to the runtime' : 'NOT issued to the runtime'}`;
    case 'malformed':
      return `malformed: ${c.reason}`;
    default:
      return JSON.stringify(c);
  }
}

function requestHtml(e: EvidenceRequest): string {
  const v = e.verdict;
  const status = `${v.status}${v.endpoint !== undefined ? ` ${v.endpoint}` : ''}${v.reason !== undefined ? ` (${v.reason})` : ''}${v.handled ? '' : ' UNHANDLED'}`;
  const headers = Object.entries(e.headers)
    .map(([k, val]) => `<tr><td>${h(k)}</td><td>${h(val)}</td></tr>`)
    .join('');
  // Token lineage wherever the journal carries it, then any other field this page does not know.
  const lineage = lineageFields(e);
  const extra = Object.entries(e).filter(([k]) => !KNOWN_FIELDS.has(k) && !lineage.some((l) => l.path === k));
  const rows = [...lineage.map((l) => [`token lineage: ${l.path}`, l.value] as const), ...extra];
  const extraHtml = rows.length === 0
    ? ''
    : `<div class="lineage"><dl class="kv">${rows.map(([k, val]) => `<dt>${h(k)}</dt><dd class="mono">${h(typeof val === 'string' ? val : JSON.stringify(val))}</dd>`).join('')}</dl></div>`;
  return [
    '<div class="req">',
    `<div class="line">#${e.seq} ${h(e.method)} ${h(e.url)} → ${h(status)}</div>`,
    `<div class="small muted">${h(e.time)} · ${h(credentialText(e))}${e.bodyDigest !== undefined ? ` · body ${h(e.bodyDigest.slice(0, 19))}…` : ''}</div>`,
    extraHtml,
    `<details><summary>headers (${Object.keys(e.headers).length})</summary><table class="headers"><tbody>${headers}</tbody></table></details>`,
    '</div>',
  ].join('');
}
