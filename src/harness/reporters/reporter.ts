import type { RunReport } from '../results.js';

export const REPORTER_NAMES = ['pretty', 'json', 'junit', 'markdown', 'tap', 'github', 'html'] as const;
export type ReporterName = (typeof REPORTER_NAMES)[number];

/** Renders a finished run. Every reporter is a pure function of the results stream. */
export type Reporter = (report: RunReport) => string;
