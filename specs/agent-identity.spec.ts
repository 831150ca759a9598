import { describeArea } from './support/area-run.js';

describeArea('AGENT', 'agent identity assertions and task registration');
