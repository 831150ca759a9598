import { describeArea } from './support/area-run.js';

describeArea('CACHE', 'Apps tools cache isolation');
