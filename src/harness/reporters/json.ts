import { toNdjson, type RunReport } from '../results.js';
import type { Reporter } from './reporter.js';

/** The NDJSON results stream itself (schemas/results.schema.json). */
export const jsonReporter: Reporter = (report: RunReport) => toNdjson(report).trimEnd();
