import { describeArea } from './support/area-run.js';

describeArea('REFRESH', 'token refresh');
