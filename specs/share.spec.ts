import { describeArea } from './support/area-run.js';

describeArea('SHARE', 'several processes, one login');
