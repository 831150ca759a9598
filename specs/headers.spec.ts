import { describeArea } from './support/area-run.js';

describeArea('HDR', 'header set per auth mode and callsite');
