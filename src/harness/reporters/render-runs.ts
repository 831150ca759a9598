import { ConformanceInputError } from '../../errors.js';
import { toNdjson, type RunReport } from '../results.js';
import { reporterFor, type ReporterName } from './index.js';
import { htmlReport } from './html/index.js';
import { junitReporter } from './junit.js';
import { matrixMarkdown } from './markdown.js';

/**
 * Renders one or more runs (the merged streams `report` read): one run renders as in `run`;
 * several render side by side where the format allows it (markdown and html: one matrix column per run;
 * junit: one document, suites named by run; pretty: one after the other; json: the streams).
 */
export function renderRuns(name: ReporterName, reports: readonly RunReport[]): string {
  if (reports.length === 1) return reporterFor(name)(reports[0]!);
  switch (name) {
    case 'markdown':
      return matrixMarkdown(reports);
    case 'json':
      return reports.map((r) => toNdjson(r).trimEnd()).join('\n');
    case 'pretty':
      return reports.map((r) => reporterFor('pretty')(r)).join('\n\n');
    case 'junit': {
      const bodies = reports.map((r) => {
        const lines = junitReporter(r).split('\n');
        const label = `${r.header.implementation.name} seed ${r.header.seed}`.replace(/[&<>"']/g, '_');
        return lines.slice(2, -1).map((l) => l.replace(/<testsuite name="/, `<testsuite name="${label} `));
      });
      return ['<?xml version="1.0" encoding="UTF-8"?>', `<testsuites name="codex-auth-conformance (${reports.length} runs)">`, ...bodies.flat(), '</testsuites>'].join('\n');
    }
    case 'github':
      return reports.map((r) => reporterFor('github')(r)).join('\n');
    case 'html':
      return htmlReport(reports);
    case 'tap':
      throw new ConformanceInputError('USAGE', `tap renders one run, and these streams hold ${reports.length} runs.`, 'render them one at a time, or use --reporter markdown|junit|pretty|json, which render several runs.');
    default:
      return reporterFor(name)(reports[0]!);
  }
}
