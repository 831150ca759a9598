/**
 * Entry of the harness process re-executed inside the run's network namespace
 * (netns-reexec.ts). It refuses to do anything unless it is isolated (isolation-guard.ts), then
 * records the selected cases against the in-memory mock, judges them and prints one prefixed
 * JSON line per verdict and per case evidence. Exit 0 when it printed `done`; 2 on any error
 * (isolation/entry-main.ts).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { profileForCodexVersion } from '../../rules/profiles.js';
import { caseEvidence, playEvidence } from './case-evidence.js';
import { judgeScenarioRules } from '../judges/scenario-rules.js';
import { loadScenarioFile } from '../scenario/load-scenario.js';
import { toCaseResults } from '../suite.js';
import { CODEX_CLI_SUITE_RULES } from '../judges/codex-cli/judge-cases.js';
import { codexCliCaseResults, codexCliRules } from '../judges/codex-cli/judge-cases.js';
import { assertIsolated } from '../isolation/isolation-guard.js';
import { runEntry } from '../isolation/entry-main.js';
import { LINE_PREFIX, parseInnerArgs } from './netns-reexec.js';
import { recordCases } from './codex-cli-scenarios.js';
import { recordingWire } from './case-recording.js';

async function main(): Promise<number> {
  const args = parseInnerArgs(process.argv.slice(2));
  await assertIsolated();
  const workDir = await mkdtemp(join(tmpdir(), 'codex-cli-cases-'));
  try {
    const recordings = await recordCases({
      binaryPath: args.binaryPath,
      version: args.version,
      caseIds: args.caseIds,
      scenarios: (args.scenarioFiles ?? []).map(loadScenarioFile),
      workDir,
      transport: 'netns',
      timeoutMs: args.timeoutMs,
      onCase: (id, outcome, requests) => process.stderr.write(`codex-cli case ${id}: ${outcome.completed ? 'turn completed' : 'turn not completed'}, ${requests} request(s), ${outcome.durationMs} ms\n`),
    });
    for (const r of recordings) process.stdout.write(`${LINE_PREFIX.evidence}${JSON.stringify(caseEvidence(r))}\n`);
    for (const r of recordings) process.stdout.write(`${LINE_PREFIX.play}${JSON.stringify(playEvidence(r))}\n`);
    for (const r of recordings) process.stdout.write(`${LINE_PREFIX.wire}${JSON.stringify(recordingWire(r))}\n`);
    const profile = args.profile ?? profileForCodexVersion(args.version);
    const cases = recordings.filter((r) => r.scenario.judge.kind === 'codexCliCase');
    const byRules = recordings.filter((r) => r.scenario.judge.kind === 'rules');
    const byRulesJudged = new Set(byRules.flatMap((r) => (r.scenario.judge.kind === 'rules' ? r.scenario.judge.rules : [])));
    const results = [
      // Rules a played rules-scenario judges are its verdicts, not the cases' (no "not reached" skip beside them).
      ...(cases.length === 0 && args.caseIds.length === 0 ? [] : codexCliCaseResults(cases.map((r) => ({ run: r.run, durationMs: r.outcome.durationMs })), profile, codexCliRules(profile).filter((id) => !byRulesJudged.has(id)), args.version)),
      ...byRules.flatMap((r) => toCaseResults({ rules: [...CODEX_CLI_SUITE_RULES, ...(r.scenario.judge.kind === 'rules' ? r.scenario.judge.rules : [])] }, `codex-cli:${r.scenario.id}`, judgeScenarioRules(r.scenario, r.play, { release: args.version, profile }), r.play.durationMs)),
    ];
    for (const c of results) process.stdout.write(`${LINE_PREFIX.result}${JSON.stringify(c)}\n`);
    process.stdout.write(`${LINE_PREFIX.done}\n`);
    return 0;
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

runEntry('in-netns-entry', main, { otherExit: 2 });
