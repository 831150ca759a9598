import type { Callsite } from './callsite.js';
import { requireCodexBackend } from './gates.js';

/**
 * app-server remote control: server enrollment, POST `{base}/wham/remote/control/server/enroll`
 * (joined to the base whatever its style) with JSON `{name, os, arch, app_server_version,
 * installation_id}`. Refused unless `auth.uses_codex_backend()` ("remote control requires
 * ChatGPT authentication").
 */
export const remoteControlEnroll: Callsite = {
  id: 'remote-control.enroll',
  title: 'app-server remote control enrolls the server',
  method: 'POST',
  target: 'chatgptBackend',
  path: () => '/wham/remote/control/server/enroll',
  gate: (auth) => requireCodexBackend(auth, 'remote control'),
  source: 'codex-rs/app-server/src/transport/remote_control/enroll.rs, .../remote_control/protocol.rs',
  body: {
    name: 'conformance-host',
    os: 'linux',
    arch: 'x86_64',
    app_server_version: '0.0.0-conformance',
    installation_id: '00000000-0000-4000-8000-000000000000',
  },
};
