import { ruleById } from '../../../rules/catalogue.js';
import { PROFILES } from '../../../rules/profiles.js';
import { VERDICTS } from '../../../rules/rule.js';
import { describeRuleCounts, problemsOf, type RunReport } from '../../results.js';
import { htmlEscape as h } from '../escape.js';
import { evidenceLines, ruleRows, type RuleRow } from '../rule-rows.js';
import { htmlDocument } from './document.js';
import { evidenceHtml } from './evidence.js';
import { REPORT_SCRIPT } from './report-script.js';

/**
 * The HTML report: one self-contained page over one or more runs (a run, the shards of a run
 * merged, several implementations, releases or clients side by side). A summary per run, the
 * rule × run matrix with filters by area, verdict and level, and each failure's evidence.
 * A pure function of the results streams, like every reporter.
 */
export function htmlReport(reports: readonly RunReport[], extra: readonly string[] = []): string {
  const labels = runLabels(reports);
  const rowsPerRun = reports.map((r) => new Map(ruleRows(r).map((row) => [row.ruleId, row] as const)));
  const ids = [...new Set(rowsPerRun.flatMap((m) => [...m.keys()]))].sort();
  const areas = [...new Set(ids.map(areaOf))].sort();
  const body = [
    summaryHtml(reports, labels),
    areaTableHtml(ids, rowsPerRun, labels),
    matrixHtml(ids, areas, rowsPerRun, labels),
    failuresHtml(reports, rowsPerRun, labels),
    // Sections a caller renders besides the rule matrix (already escaped HTML), e.g. the ecosystem run's coexistence rows.
    ...extra,
  ].join('\n');
  const title = reports.length === 1 ? `codex-auth-conformance: ${labels[0] ?? ''}` : `codex-auth-conformance: ${reports.length} runs`;
  const tool = reports[0]?.header.tool.version ?? '';
  return htmlDocument({ title, subtitle: `report of ${reports.length} run${reports.length === 1 ? '' : 's'} · tool ${tool} · rendered from the NDJSON results stream`, body, script: REPORT_SCRIPT });
}

function areaOf(ruleId: string): string {
  return ruleId.split('.')[0] ?? '?';
}

/** Column labels: implementation and version, made unique by seed or position. */
function runLabels(reports: readonly RunReport[]): string[] {
  const base = reports.map((r) => `${r.header.implementation.name} ${r.header.implementation.version}`.trim());
  return base.map((b, i) => (base.filter((x) => x === b).length > 1 ? `${b} (seed ${reports[i]!.header.seed}, #${i + 1})` : b));
}

/** The class a cell shows: the rule verdict, `known` for expected failures. */
function cellClass(row: RuleRow): string {
  return row.expected ? 'known' : row.verdict;
}

function cellText(row: RuleRow): string {
  if (row.expected) return `known ${row.verdict}`;
  return row.verdict === 'notReached' ? 'not reached' : row.verdict;
}

function badge(cls: string, text: string, title?: string): string {
  return `<span class="badge v-${h(cls)}"${title !== undefined ? ` title="${h(title)}"` : ''}>${h(text)}</span>`;
}

function summaryHtml(reports: readonly RunReport[], labels: readonly string[]): string {
  const cards = reports.map((r, i) => {
    const { header, footer } = r;
    const shards = header.mergedShards !== undefined ? ` · shards ${header.mergedShards.indices.join(',')} of ${header.mergedShards.count}` : header.shard !== undefined ? ` · shard ${header.shard.index}/${header.shard.count}` : '';
    const counts = VERDICTS.filter((v) => footer.rules[v] > 0 || v === 'pass' || v === 'fail').map((v) => badge(footer.rules[v] === 0 ? 'none' : v, `${footer.rules[v]} ${v}`)).join(' ');
    const problems = problemsOf(header, r.cases, footer.rulesNotReached);
    return [
      `<div class="panel card" data-run="${i}">`,
      `<h3><span>${h(labels[i]!)}</span>${footer.ok ? '<span class="ok">OK</span>' : '<span class="notok">NOT OK</span>'}</h3>`,
      `<div class="meta">profile ${h(header.profile ?? 'unknown')} · seed ${header.seed} · ${header.runs} generated case(s) per property${h(shards)} · started ${h(header.startedAt)} · ${(footer.durationMs / 1000).toFixed(1)} s</div>`,
      `<div class="counts">${counts}</div>`,
      `<div class="small muted">${h(describeRuleCounts(footer.rules))}; ${footer.casesRun} case(s) run${footer.rulesNotReached.length > 0 ? `; ${footer.rulesNotReached.length} not reached` : ''}</div>`,
      problems.length > 0 ? `<div class="problems">${h(problems.join('; '))}</div>` : '',
      '</div>',
    ].join('');
  });
  return `<section id="summary"><h2>Summary</h2><div class="cards">${cards.join('')}</div></section>`;
}

const VERDICT_ORDER: readonly string[] = ['fail', 'error', 'known', 'skip', 'notReached', 'unsupported', 'pass'];

function areaTableHtml(ids: readonly string[], rowsPerRun: readonly Map<string, RuleRow>[], labels: readonly string[]): string {
  const areas = [...new Set(ids.map(areaOf))].sort();
  const head = `<tr><th>area</th><th class="num">rules</th>${labels.map((l) => `<th>${h(l)}</th>`).join('')}</tr>`;
  const rows = areas.map((area) => {
    const inArea = ids.filter((id) => areaOf(id) === area);
    const cells = rowsPerRun.map((rows) => {
      const counts = new Map<string, number>();
      for (const id of inArea) {
        const row = rows.get(id);
        if (row !== undefined) counts.set(cellClass(row), (counts.get(cellClass(row)) ?? 0) + 1);
      }
      const ordered = [...counts].sort(([a], [b]) => VERDICT_ORDER.indexOf(a) - VERDICT_ORDER.indexOf(b));
      return `<td>${ordered.map(([cls, n]) => badge(cls, `${n} ${cls === 'notReached' ? 'not reached' : cls}`)).join(' ')}</td>`;
    });
    return `<tr><td>${h(area)}</td><td class="num">${inArea.length}</td>${cells.join('')}</tr>`;
  });
  return `<section id="areas"><h2>By area</h2><div class="panel"><table class="areas"><thead>${head}</thead><tbody>${rows.join('')}</tbody></table></div></section>`;
}

function filtersHtml(areas: readonly string[]): string {
  const option = (value: string, text: string): string => `<option value="${h(value)}">${h(text)}</option>`;
  return [
    '<form class="filters" id="filters" autocomplete="off">',
    `<label>area <select name="area">${option('', 'all')}${areas.map((a) => option(a, a)).join('')}</select></label>`,
    `<label>verdict <select name="verdict">${option('', 'all')}${option('failing', 'failing (fail or error)')}${['pass', 'fail', 'error', 'known', 'skip', 'unsupported', 'notReached'].map((v) => option(v, v === 'known' ? 'known failure' : v === 'notReached' ? 'not reached' : v)).join('')}</select></label>`,
    `<label>level <select name="level">${option('', 'all')}${option('MUST', 'MUST')}${option('SHOULD', 'SHOULD')}</select></label>`,
    '<label>rule or text <input type="search" name="text" placeholder="e.g. HDR.ACCOUNT"></label>',
    '<span class="shown" id="shown"></span>',
    '</form>',
  ].join('');
}

/** Attributes the filters read: area, level, the verdicts of the row across runs, searchable text. */
function filterAttrs(ruleId: string, classes: readonly string[]): string {
  const rule = ruleById(ruleId);
  const text = `${ruleId} ${rule?.title ?? ''}`.toLowerCase();
  return `data-filter="1" data-area="${h(areaOf(ruleId))}" data-level="${h(rule?.level ?? '')}" data-verdicts="${h([...new Set(classes)].join(' '))}" data-text="${h(text)}"`;
}

function anchorOf(runIndex: number, ruleId: string): string {
  return `ev-${runIndex}-${ruleId}`;
}

function matrixHtml(ids: readonly string[], areas: readonly string[], rowsPerRun: readonly Map<string, RuleRow>[], labels: readonly string[]): string {
  const head = `<tr><th>rule</th><th>level</th><th>title</th>${labels.map((l) => `<th>${h(l)}</th>`).join('')}</tr>`;
  const rows = ids.map((id) => {
    const rule = ruleById(id);
    const classes: string[] = [];
    const cells = rowsPerRun.map((rows, i) => {
      const row = rows.get(id);
      if (row === undefined) return `<td class="cell">${badge('none', 'not selected')}</td>`;
      classes.push(cellClass(row));
      const first = evidenceLines(row)[0];
      const note = row.verdict === 'pass' ? `<span class="small muted"> ${h(row.lines[0]?.casesJudged !== undefined ? `${row.lines[0].casesJudged} case(s)` : '')}</span>` : '';
      const shown = badge(cellClass(row), cellText(row), first?.message);
      const linked = row.verdict === 'fail' || row.verdict === 'error' ? `<a href="#${h(anchorOf(i, id))}">${shown}</a>` : shown;
      return `<td class="cell">${linked}${note}</td>`;
    });
    return `<tr ${filterAttrs(id, classes)}><td class="rule">${h(id)}</td><td><span class="level level-${h(rule?.level ?? '')}">${h(rule?.level ?? '')}</span></td><td class="title">${h(rule?.title ?? '')}</td>${cells.join('')}</tr>`;
  });
  return `<section id="matrix"><h2>Rules × ${labels.length === 1 ? 'run' : 'runs'}</h2><div class="panel">${filtersHtml(areas)}<table class="matrix"><thead>${head}</thead><tbody>${rows.join('')}</tbody></table></div></section>`;
}

/** The rule's pinned sources, those of the run's profile first (all of them when none matches). */
function sourcesHtml(ruleId: string, profile: string | undefined): string {
  const rule = ruleById(ruleId);
  if (rule === undefined) return '<p class="empty">not in this catalogue</p>';
  const ref = PROFILES.find((p) => p.id === profile)?.ref;
  const own = rule.sources.filter((s) => s.ref === ref);
  const items = (own.length > 0 ? own : rule.sources).map((s) => `<li><span class="mono">openai/codex ${h(s.path)} @ ${h(s.ref)}</span>${s.note !== undefined ? ` — ${h(s.note)}` : ''}</li>`);
  return `<ul class="sources small">${items.join('')}</ul>`;
}

function failuresHtml(reports: readonly RunReport[], rowsPerRun: readonly Map<string, RuleRow>[], labels: readonly string[]): string {
  const articles: string[] = [];
  rowsPerRun.forEach((rows, i) => {
    for (const row of [...rows.values()].sort((a, b) => a.ruleId.localeCompare(b.ruleId))) {
      if (row.verdict !== 'fail' && row.verdict !== 'error') continue;
      const rule = ruleById(row.ruleId);
      const anchor = anchorOf(i, row.ruleId);
      const lines = evidenceLines(row);
      const kind = row.expected ? 'known' : row.verdict;
      articles.push(
        [
          `<article class="failure ${h(kind)}" id="${h(anchor)}" ${filterAttrs(row.ruleId, [cellClass(row)])}>`,
          `<header>${badge(cellClass(row), cellText(row))}<h3 class="mono">${h(row.ruleId)}</h3><span class="level level-${h(rule?.level ?? '')}">${h(rule?.level ?? '')}</span><span>${h(rule?.title ?? '')}</span><span class="muted small">— ${h(labels[i]!)}</span></header>`,
          '<h3>Source it contradicts</h3>',
          sourcesHtml(row.ruleId, reports[i]!.header.profile),
          ...lines.map((c, k) => `<div class="line-evidence">${evidenceHtml(c, `${anchor}-${k}`)}</div>`),
          '</article>',
        ].join('\n'),
      );
    }
  });
  const none = reports.length > 0 && articles.length === 0 ? '<p class="empty">no failure: every judged rule held</p>' : '';
  return `<section id="failures"><h2>Failures and their evidence (<span id="failure-count">${articles.length}</span>)</h2>${none}${articles.join('\n')}</section>`;
}
