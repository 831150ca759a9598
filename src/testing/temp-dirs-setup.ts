import { afterAll } from 'vitest';
import { removeTempDirs } from './temp-dirs.js';

// Runs for every test file (vitest `setupFiles`): the directories a file made are gone when it ends.
afterAll(removeTempDirs);
