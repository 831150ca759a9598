import type { ProfileId } from './profiles.js';

/** How `checkJournal` (check-journal.ts) judges a recording: the profile and what is known beside the requests. */
export interface JournalCheckOptions {
  /** The contract profile judged (default: the newest). */
  readonly profile?: ProfileId;
  /** The configured ChatGPT base, when known (the Apps trust gate of codex-0.171 compares with it). */
  readonly chatgptBaseUrl?: string;
  /**
   * Where each call the harness made began: the last journal seq before it. Given, AGENT.TASK.004
   * is judged per call (a later call may try a failed registration again, as a new load or the
   * per-load once-cell does); without it, retries cannot be told from new attempts and the rule
   * is not judged.
   */
  readonly callStarts?: readonly number[];
  /** The entries carry the mock's own attribution of each credential (a journal `serve` wrote). */
  readonly mockAttribution?: boolean;
  /**
   * The token URL the contract expects (contractTokenUrl: CODEX_REFRESH_TOKEN_URL_OVERRIDE, else
   * production). Given, a refresh sent anywhere else (origin and path compared) fails
   * REFRESH.REQUEST.001 / .002 ("POST {token URL}"); without it only the shape is judged.
   */
  readonly tokenUrl?: string;
}
