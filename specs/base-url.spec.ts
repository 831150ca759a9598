import { describeArea } from './support/area-run.js';

describeArea('URL', 'base-URL selection');
