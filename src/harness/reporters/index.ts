import { assertNever } from '../../assert-never.js';
import type { Reporter, ReporterName } from './reporter.js';
import { htmlReporter } from './html/index.js';
import { jsonReporter } from './json.js';
import { junitReporter } from './junit.js';
import { markdownReporter } from './markdown.js';
import { prettyReporter } from './pretty.js';
import { tapReporter } from './tap.js';
import { githubReporter } from './github.js';

export { REPORTER_NAMES, type Reporter, type ReporterName } from './reporter.js';

export function reporterFor(name: ReporterName): Reporter {
  switch (name) {
    case 'pretty':
      return prettyReporter;
    case 'json':
      return jsonReporter;
    case 'junit':
      return junitReporter;
    case 'markdown':
      return markdownReporter;
    case 'tap':
      return tapReporter;
    case 'github':
      return githubReporter;
    case 'html':
      return htmlReporter;
    default:
      return assertNever(name, 'reporter');
  }
}
