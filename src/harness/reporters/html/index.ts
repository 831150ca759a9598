import type { RunReport } from '../../results.js';
import type { Reporter } from '../reporter.js';
import { htmlReport } from './report.js';

export { htmlReport } from './report.js';

/** One self-contained HTML page (inline style and script, nothing loaded from anywhere). */
export const htmlReporter: Reporter = (report: RunReport) => htmlReport([report]);
