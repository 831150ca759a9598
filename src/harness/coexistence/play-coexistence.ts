import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { codexActors, type CodexStepDetail } from '../codex-cli/codex-actors.js';
import { clientActors, portScenarioMock, safetyFromSession, type ClientDetail, type PlayClientOptions } from '../ecosystem/client-actors.js';
import type { CoexistenceRecording } from '../judges/coexistence/coexistence-recording.js';
import { orderOf } from '../judges/coexistence/coexistence-recording.js';
import { runScenario, type ActorRunner } from '../scenario/run-scenario.js';

/**
 * Plays one coexistence scenario (scenarios/blackbox/coexistence/): a third-party client (its
 * driver, the ecosystem adapter's client actor) and the codex binary (the codex-cli adapter's exec
 * actor) on one CODEX_HOME, with the one runner (scenario/run-scenario.ts), inside the ecosystem
 * run's loopback-only namespace: the production hosts resolve to 127.0.0.1, where the run's mock
 * answers over TLS with the run CA (the binary trusts it through CODEX_CA_CERTIFICATE, the driver
 * through NODE_EXTRA_CA_CERTS). This module composes the two adapters; neither imports the other.
 */
export type CoexistenceOptions = Pick<
  PlayClientOptions,
  'mock' | 'dns' | 'setDnsCase' | 'clientId' | 'driverCommand' | 'scenario' | 'workDir' | 'env' | 'timeoutMs'
> & {
  readonly codex: { readonly binaryPath: string; readonly version: string };
  /** The run CA's certificate; `env` holds its trust environment (production-impersonation.ts). */
  readonly caCertPath: string;
};

type Detail = ClientDetail | CodexStepDetail;

export async function playCoexistence(opts: CoexistenceOptions): Promise<CoexistenceRecording> {
  const s = opts.scenario;
  const order = orderOf(s.id);
  const client = s.actors.find((a) => a.kind === 'client');
  if (order === undefined || client === undefined || client.kind !== 'client' || client.client !== opts.clientId) {
    throw new TypeError(`coexistence scenario ${s.id}: needs an id ending -clientFirst or -codexFirst and a client actor naming ${opts.clientId}`);
  }
  const codexHome = s.actors.find((a) => a.kind === 'codexExec')?.home;
  if (codexHome === undefined) throw new TypeError(`coexistence scenario ${s.id}: has no codexExec actor`);
  const caseId = `coexist-${s.id}`.slice(0, 64);
  const started = Date.now();
  const root = join(opts.workDir, caseId);
  const dirs = { home: join(root, 'home'), tmp: join(root, 'tmp'), cwd: join(root, 'cwd') };
  await Promise.all(Object.values(dirs).map((d) => mkdir(d, { recursive: true, mode: 0o700 })));
  const urls = opts.mock.beginCase(caseId);
  opts.setDnsCase?.(caseId);
  const clients = clientActors({ driverCommand: opts.driverCommand, timeoutMs: opts.timeoutMs, env: opts.env, dirs });
  let secrets: () => readonly string[] = () => [];
  const codex = codexActors(
    { binaryPath: opts.codex.binaryPath, version: opts.codex.version, timeoutMs: Math.max(opts.timeoutMs, 90_000), config: {}, env: {}, caCertPath: opts.caCertPath },
    { secrets: () => secrets() },
  );
  const actors: ActorRunner<Detail> = {
    perform: (step, actor, home, ctx) => (actor.kind === 'client' ? clients.perform(step, actor, home, ctx) : codex.perform(step, actor, home, ctx)),
    async dispose() {
      await clients.dispose();
      await codex.dispose();
    },
  };
  try {
    const play = await runScenario<Detail>({
      scenario: s,
      mock: portScenarioMock(opts.mock, caseId, urls.chatgptBackendApi),
      workDir: root,
      actors,
      prepareHome: async (home, dir, login, ctx) => {
        secrets = ctx.seeded.secrets;
        // CODEX_HOME as the binary needs it (auth.json, config.toml with the production base); the
        // driver is handed the same directory and writes nothing at configure.
        const prepared = await codex.prepareHome(home, dir, login, ctx);
        clients.setups.set(home.id, { caseId, home: prepared.dir, files: {}, env: {}, config: {} });
        return prepared;
      },
    });
    const { session, startError, clientVersion } = clients.first();
    const dnsNames = opts.dns?.namesFor(caseId) ?? [];
    const safety = [...safetyFromSession(session, startError).map((e) => `${e.kind}: ${e.detail}`), ...dnsNames.map((n) => `looked up ${n} (not a production host: no answer inside the namespace)`)];
    const tokenRequests = play.entries.filter((e) => e.refresh !== undefined).map((e) => ({ seq: e.seq, status: e.verdict.status, refresh: e.refresh! }));
    const fps = new Set(play.authJson.map((x) => x.tokens?.refreshToken).filter((x): x is string => typeof x === 'string'));
    const families = new Set([...tokenRequests.map((t) => t.refresh.family)]);
    const issued = play.share.issued.filter((l) => families.has(l.family) || fps.has(l.refreshFingerprint));
    return {
      clientId: opts.clientId,
      clientVersion,
      codexVersion: opts.codex.version,
      scenarioId: s.id,
      order,
      title: s.title,
      codexHome,
      clientActor: client.id,
      clientHome: client.home,
      steps: play.steps.map((x) => ({ index: x.index, kind: x.kind, ...(x.actor === undefined ? {} : { actor: x.actor }), ...(x.actorKind === undefined ? {} : { actorKind: x.actorKind }), journalSeqs: x.journalSeqs, completed: x.outcome?.completed === true, description: x.outcome?.description ?? '', ...(x.authJsonWatch === undefined ? {} : { authJsonWatch: { polls: x.authJsonWatch.polls, tornReads: x.authJsonWatch.tornReads } }) })),
      tokenRequests,
      issued,
      snapshots: play.authJson,
      safety,
      durationMs: Date.now() - started,
    };
  } finally {
    opts.setDnsCase?.(undefined);
    opts.mock.endCase();
  }
}
