import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { STYLE_BASES } from '../../../../mocks/handlers/paths.js';
import { defineRoute, isRejection } from '../../../../mocks/handlers/route.js';
import { oauthHandlers } from '../../../../mocks/handlers/oauth.js';
import { startHttpMock, type HttpMock } from '../../../../mocks/http-bridge.js';
import { routeOf } from '../../../../mocks/routes/route-table.js';
import type { IssueTokenOptions } from '../../../../mocks/state/mock-backend.js';
import { CODEX_CLIENT_ID } from '../../../../mocks/state/token-claims.js';
import { reject } from '../../../../mocks/verify/rejection.js';
import { parseRefreshBody, verifyRefreshRequest } from '../../../../mocks/verify/refresh-request.js';
import type { ObservedRequest } from '../../../rules/observed-request.js';
import { PRODUCTION_HOSTS, renderHostsFile } from '../../isolation/production-hosts.js';
import { CERTIFICATE_HOSTS, slotAddress } from '../codex-cli-scenarios.js';
import { createRunCertificates } from '../../isolation/run-certificates.js';
import { TokenLineage, type ChatgptTokenSet } from './token-lineage.js';

/**
 * The mock one race run plays against, inside the namespace: HTTPS with the run's CA, one
 * loopback address per actor (each actor's binary gets a hosts file mapping the production names
 * to its own address, so every request it sends is journalled under its actor name), a tap on
 * `POST /oauth/token` that records which refresh token each redemption presented (the mock's own
 * token handler answers it; rotation and `refresh_token_reused` are the mock's), and the
 * harness's own moves as "another process": redeeming a refresh token, answering model requests
 * with 401.
 */
export interface LoggedIn extends ChatgptTokenSet {
  readonly label: string;
  /** Epoch ms the access token expires. */
  readonly expiresAt: number;
}

export interface ModelRequestSeen {
  readonly actor: string;
  /** Milliseconds since the run started (same clock as the redemptions). */
  readonly atMs: number;
  /** Label of the Bearer token (`A1`), `unknown`, or `none`. */
  readonly bearer: string;
  /** Family whose account the `ChatGPT-Account-ID` header names (`A`, `B`), `unknown`, or `none`. */
  readonly account: string;
  readonly status: number;
  readonly reason?: string;
}

const MODEL_PATH = /\/(codex\/)?responses\/?$/;
const RESPONSES_PATHS = [`${STYLE_BASES.wham}/codex/responses`, `${STYLE_BASES.codexApi}/codex/responses`, '/v1/responses'];

export class RaceMock {
  readonly lineage = new TokenLineage();
  readonly #secrets: string[] = [];
  /** Account id -> the family that logged in with it. */
  readonly #families = new Map<string, string>();
  readonly #actors = new Map<string, Promise<string>>();
  readonly #tls: { readonly key: string; readonly cert: string };
  readonly caCertPath: string;
  readonly #workDir: string;
  readonly mock: HttpMock;

  private constructor(mock: HttpMock, tls: { key: string; cert: string }, caCertPath: string, workDir: string) {
    this.mock = mock;
    this.#tls = tls;
    this.caCertPath = caCertPath;
    this.#workDir = workDir;
  }

  /** Starts the mock on 127.0.0.10:443 (only inside the namespace: isolation is the caller's check). */
  static async start(workDir: string): Promise<RaceMock> {
    const certs = await createRunCertificates(join(workDir, 'tls'), CERTIFICATE_HOSTS);
    const [key, cert] = await Promise.all([readFile(certs.leafKeyPath, 'utf8'), readFile(certs.leafCertPath, 'utf8')]);
    const mock = await startHttpMock({ host: slotAddress(0), port: 443, tls: { key, cert } });
    const race = new RaceMock(mock, { key, cert }, certs.caCertPath, workDir);
    race.#tapTokenEndpoint();
    return race;
  }

  /**
   * Plain http on a free 127.0.0.1 port, no certificates and no actor listeners (tests: an actor
   * is named by the `/__case/<actor>/` path prefix instead of its own address).
   */
  static async startPlain(workDir: string): Promise<RaceMock> {
    const mock = await startHttpMock({ host: '127.0.0.1', port: 0 });
    const race = new RaceMock(mock, { key: '', cert: '' }, '', workDir);
    race.#tapTokenEndpoint();
    return race;
  }

  /** Every token the run issued so far (to scrub from anything shown); the same array grows as tokens are minted. */
  get secrets(): readonly string[] {
    return this.#secrets;
  }

  /** A hosts file for `actor`: the production names on the actor's own loopback address (its listener is started here). */
  hostsFor(actor: string): Promise<string> {
    if (this.caCertPath === '') throw new TypeError('RaceMock.hostsFor: a plain mock has no actor listeners; prefix paths with /__case/<actor>/');
    const known = this.#actors.get(actor);
    if (known !== undefined) return known;
    // The address is taken now, before any await, so concurrent calls get different ones.
    const address = slotAddress(this.#actors.size + 1);
    const file = join(this.#workDir, `hosts-${actor}`);
    const ready = (async () => {
      await this.mock.listen({ host: address, port: 443, tls: this.#tls, currentCase: () => actor });
      await writeFile(file, renderHostsFile(PRODUCTION_HOSTS, address));
      return file;
    })();
    this.#actors.set(actor, ready);
    return ready;
  }

  /** A new account and its first tokens: generation 0 of `family`. */
  async login(family: string, opts: IssueTokenOptions = {}): Promise<LoggedIn> {
    const account = this.mock.backend.createAccount({ plan: 'plus', fedramp: false });
    const t = await this.mock.backend.issueChatgptTokens(account.id, opts);
    this.#secrets.push(t.idToken, t.accessToken, t.refreshToken);
    this.#families.set(account.id, family);
    return { ...t, label: this.lineage.login(family, t) };
  }

  /** Another process redeems `refreshToken` at the token endpoint (the mock's rules: single use, rotation). */
  async redeemAsOther(refreshToken: string): Promise<LoggedIn | undefined> {
    const verdict = verifyRefreshRequest(this.mock.backend, { client_id: CODEX_CLIENT_ID, grant_type: 'refresh_token', refresh_token: refreshToken });
    if (!verdict.ok) {
      this.lineage.record({ actor: 'other', presented: refreshToken, status: verdict.rejection.status, code: verdict.rejection.code });
      return undefined;
    }
    verdict.record.state = 'used';
    const t = await this.mock.backend.issueChatgptTokens(verdict.record.accountId);
    this.#secrets.push(t.idToken, t.accessToken, t.refreshToken);
    const label = this.lineage.minted(refreshToken, t);
    this.lineage.record({ actor: 'other', presented: refreshToken, status: 200, minted: label });
    return { ...t, label };
  }

  /** Records each token request's presented refresh token and outcome; the mock's own handler answers it. */
  #tapTokenEndpoint(): void {
    const base = oauthHandlers(this.mock.ctx).map(routeOf).find((r) => r?.kind === 'resource' && r.spec.endpoint === 'oauth.token');
    if (base?.kind !== 'resource') throw new TypeError('RaceMock: the mock has no oauth.token route');
    const spec = base.spec;
    this.mock.use(
      ...defineRoute(this.mock.ctx, {
        endpoint: 'oauth.token',
        method: 'POST',
        paths: ['/oauth/token'],
        auth: 'none',
        handle: async (req) => {
          const arrival = this.lineage.arrive();
          const parsed = parseRefreshBody(req.request.headers.get('content-type'), req.body);
          const presented = parsed.ok && typeof parsed.fields['refresh_token'] === 'string' ? parsed.fields['refresh_token'] : '';
          const result = await spec.handle(req);
          const actor = req.caseId ?? 'unattributed';
          if (isRejection(result)) {
            this.lineage.record({ actor, presented, status: result.status, code: result.code, arrival });
          } else if (result instanceof Response && result.ok) {
            const body = (await result.clone().json()) as { id_token: string; access_token: string; refresh_token: string };
            const minted = { idToken: body.id_token, accessToken: body.access_token, refreshToken: body.refresh_token, accountId: '' };
            this.#secrets.push(minted.idToken, minted.accessToken, minted.refreshToken);
            this.lineage.record({ actor, presented, status: 200, minted: this.lineage.minted(presented, minted), arrival });
          } else {
            this.lineage.record({ actor, presented, status: result instanceof Response ? result.status : result.status, arrival });
          }
          return result;
        },
      }),
    );
  }

  /**
   * Answers 401 to every model request (Responses over HTTP or WebSocket upgrade) whose Bearer
   * token's label `refuse` selects (e.g. every generation of family A); `onRefused(n)` runs
   * before the n-th answer goes out (e.g. a rotation on disk).
   */
  refuseModelRequests(refuse: (label: string) => boolean, onRefused?: (n: number) => Promise<void>): void {
    let n = 0;
    this.mock.use(
      ...defineRoute(this.mock.ctx, {
        endpoint: 'race.unauthorizedModel',
        method: 'ALL',
        paths: RESPONSES_PATHS,
        auth: 'none',
        when: (request) => {
          const bearer = /^Bearer (.+)$/.exec(request.headers.get('authorization') ?? '')?.[1];
          return bearer !== undefined && refuse(this.lineage.labelOf(bearer));
        },
        handle: async () => {
          n += 1;
          await onRefused?.(n);
          return reject(401, 'token_expired', 'Race fault: this access token is no longer accepted.');
        },
      }),
    );
  }

  /** The family that logged in with this account id (`A`, `B`), `unknown`, or undefined for none. */
  familyOfAccount(accountId: string | undefined): string | undefined {
    return accountId === undefined ? undefined : (this.#families.get(accountId) ?? 'unknown');
  }

  /** Model requests in arrival order, per actor, with the Bearer's label. */
  modelRequests(): ModelRequestSeen[] {
    return this.mock.journal
      .list()
      .filter((e: ObservedRequest) => MODEL_PATH.test(new URL(e.url).pathname))
      .map((e) => ({
        actor: e.caseId ?? 'unattributed',
        atMs: Date.parse(e.time) - this.lineage.startedAt,
        bearer: e.credential.kind === 'bearer' ? (this.lineage.labelOfFingerprint(e.credential.fingerprint) ?? 'unknown') : 'none',
        account: this.familyOfAccount(e.headers['chatgpt-account-id']) ?? 'none',
        status: e.verdict.status,
        ...(e.verdict.reason === undefined ? {} : { reason: e.verdict.reason }),
      }));
  }

  /** Responses calls that asked for output, per actor (a WebSocket kept open across turns sends them without a new upgrade). */
  modelCalls(): Array<{ readonly actor: string; readonly transport: string }> {
    return this.mock.backend.modelRequests
      .list()
      .filter((m) => !m.prewarm)
      .map((m) => ({ actor: m.caseId ?? 'unattributed', transport: m.transport }));
  }

  async close(): Promise<void> {
    await this.mock.close();
  }
}
