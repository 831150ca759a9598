import { defineMutant } from './mutant.js';

/**
 * The workspace restriction as before PRs #27450 and #39322: `forced_chatgpt_workspace_id` is
 * checked for managed ChatGPT tokens (and host tokens) only, so a personal access token or a
 * Headers-mode credential of another workspace is accepted and reaches the backend.
 */
export const forcedWorkspaceManagedOnly = defineMutant({
  name: 'forced-workspace-managed-only',
  description: 'forced_chatgpt_workspace_id is enforced for ChatGPT tokens only; a PAT or a Headers map of another workspace is accepted.',
  breaks: { 'codex-0.171': 'GATE.WORKSPACE.001' },
  source: 'codex-rs/login/src/auth/manager.rs, codex-rs/login/src/auth/personal_access_token.rs (PRs #27450, #39322)',
  parts: { workspaceRestrictedModes: ['chatgpt', 'chatgptAuthTokens'] },
});
