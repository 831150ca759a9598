import { describeArea } from './support/area-run.js';

describeArea('GATE', 'Codex-backend gating');
