import { htmlEscape, mdCell, mdLine } from '../reporters/escape.js';
import { COEXISTENCE_CHECKS, type CoexistenceCheck } from '../judges/coexistence/judge-coexistence.js';
import type { CoexistenceExpectation } from '../judges/coexistence/coexistence-expectations.js';
import { crashVerdict, type CrashRow } from '../judges/coexistence/crash-safety-table.js';
import type { EcosystemDocument } from './ecosystem-document.js';
import type { ClientRun, EcosystemRun } from './ecosystem-run.js';

/**
 * The ecosystem table's coexistence rows: each client beside the codex binary on one CODEX_HOME
 * (one row per coexistence check, and the crash-safety row from docs/crash-safety.md), in Markdown
 * for the README and in HTML for `--reporter html`, with every failure's evidence.
 */
const CHECK_TITLES: Readonly<Record<CoexistenceCheck, string>> = {
  codexStillWorks: 'Codex still works after this client refreshes',
  noDoubleRedemption: 'redeems no refresh token twice (lineage)',
  keepsForeignKeys: 'keeps the keys it does not own',
  neverOlderGeneration: 'never leaves an older generation in auth.json',
  neverHalfWritten: 'never observable half-written while it writes (auth.json polled)',
};

function coexistenceCell(c: ClientRun, check: CoexistenceCheck, recorded: readonly CoexistenceExpectation[] | undefined): string {
  const vs = (c.coexistence ?? []).flatMap((r) => r.verdicts.filter((v) => v.check === check));
  if (c.coexistence === undefined) return 'not run';
  const short = (id: string): string => id.replace(`${c.client.id}-`, '');
  const fails = vs.filter((v) => v.verdict === 'fail');
  if (fails.length > 0) {
    const known = fails.every((v) => recorded?.some((e) => e.scenario === v.scenario && e.check === check && e.verdict === 'fail') === true) ? ' (recorded)' : '';
    return `❌ fail${known} <sub>${mdCell(fails.map((v) => short(v.scenario)).join(', '))}</sub>`;
  }
  const passes = vs.filter((v) => v.verdict === 'pass');
  return passes.length === 0 ? '—' : `✅ pass <sub>${mdCell(passes.map((v) => short(v.scenario)).join(', '))}</sub>`;
}

function crashCell(c: ClientRun, rows: readonly CrashRow[] | undefined): string {
  const v = crashVerdict(rows ?? [], c.client.id, c.client.custody === 'codexHome');
  switch (v.kind) {
    case 'notApplicable':
      return `n/a <sub>${mdCell(v.reason)}</sub>`;
    case 'notMeasured':
      return `not measured <sub>${mdCell(v.reason)}</sub>`;
    case 'measured':
      return v.row.broken === 0 ? `✅ 0 broken of ${v.row.killRuns} kill runs <sub>docs/crash-safety.md</sub>` : `❌ ${v.row.broken} broken of ${v.row.killRuns} kill runs <sub>docs/crash-safety.md: ${mdCell(v.row.brokenText.replace(/\*/g, ''))}</sub>`;
  }
}

/** The coexistence rows as an HTML section for `--reporter html` (the same cells, escaped). */
export function renderCoexistenceHtml(doc: EcosystemDocument): string[] {
  const clients = doc.run.clients;
  if (clients.every((c) => c.coexistence === undefined)) return [];
  const text = (cell: string): string => htmlEscape(cell.replace(/<sub>/g, '(').replace(/<\/sub>/g, ')'));
  const rows = COEXISTENCE_CHECKS.map((check) => `<tr><th>${htmlEscape(CHECK_TITLES[check])}</th>${clients.map((c) => `<td>${text(coexistenceCell(c, check, doc.coexistence?.get(c.client.id)))}</td>`).join('')}</tr>`);
  rows.push(`<tr><th>survives a kill mid-write</th>${clients.map((c) => `<td>${text(crashCell(c, doc.crash))}</td>`).join('')}</tr>`);
  const failures = clients.flatMap((c) => (c.coexistence ?? []).flatMap((r) => r.verdicts.filter((v) => v.verdict === 'fail').map((v) => `<li><b>${htmlEscape(c.client.id)}</b> ${htmlEscape(CHECK_TITLES[v.check])} — <code>${htmlEscape(v.scenario)}</code>: ${htmlEscape(v.evidence)}</li>`)));
  return [
    `<section id="coexistence"><h2>Beside the Codex CLI on one CODEX_HOME</h2><table><tr><th></th>${clients.map((c) => `<th>${htmlEscape(c.client.id)}</th>`).join('')}</tr>${rows.join('')}</table>${failures.length > 0 ? `<ul>${failures.join('')}</ul>` : ''}</section>`,
  ];
}

/** The coexistence rows (the client beside the codex binary on one CODEX_HOME), with every failure's evidence. */
export function renderCoexistenceMarkdown(doc: EcosystemDocument): string[] {
  const clients = doc.run.clients;
  if (clients.every((c) => c.coexistence === undefined)) return [];
  const codex = clients.flatMap((c) => c.coexistence ?? []).find((r) => r.recording.codexVersion !== undefined)?.recording.codexVersion;
  const out = [
    `### Beside the Codex CLI${codex === undefined ? '' : ` ${codex}`} on one CODEX_HOME`,
    '',
    'Each client and the real `codex` binary share one CODEX_HOME, in both orders (scenarios/blackbox/coexistence/): `clientFirst`, the client refreshes the expired login, then a `codex exec` turn needs a refresh; `codexFirst`, the client is up while `codex exec` refreshes, then it makes its request, then Codex needs a refresh again. Judged from the mock\'s refresh-token lineage and the auth.json after every step (src/harness/judges/coexistence/).',
    '',
    `| beside Codex | ${clients.map((c) => c.client.id).join(' | ')} |`,
    `|---|${clients.map(() => '---').join('|')}|`,
    `| how it holds the login | ${clients.map((c) => mdCell(c.client.coexistsAs ?? (c.client.custody === 'codexHome' ? 'reads and writes CODEX_HOME/auth.json' : 'its caller holds the tokens'))).join(' | ')} |`,
  ];
  for (const check of COEXISTENCE_CHECKS) out.push(`| ${CHECK_TITLES[check]} | ${clients.map((c) => coexistenceCell(c, check, doc.coexistence?.get(c.client.id))).join(' | ')} |`);
  out.push(`| survives a kill mid-write | ${clients.map((c) => crashCell(c, doc.crash)).join(' | ')} |`, '');
  const failures = clients.flatMap((c) => (c.coexistence ?? []).flatMap((r) => r.verdicts.filter((v) => v.verdict === 'fail').map((v) => ({ c, v }))));
  if (failures.length > 0) {
    out.push('Coexistence failures with evidence:', '');
    for (const { c, v } of failures) out.push(`- **${c.client.id}** ${CHECK_TITLES[v.check]} — \`${v.scenario}\`: ${mdLine(v.evidence)}`);
    out.push('');
  }
  return out;
}

export function coexistenceCount(run: EcosystemRun): string {
  const plays = run.clients.flatMap((c) => c.coexistence ?? []);
  const codex = plays.find((p) => p.recording.codexVersion !== undefined)?.recording.codexVersion;
  return plays.length === 0 ? '' : ` and ${plays.length} beside the codex binary${codex === undefined ? '' : ` ${codex}`}`;
}
