import { afterAll } from 'vitest';
import { removeFileDirs } from './temp.js';

// The unit project does not isolate its files (vitest.config.ts): temp.ts's own afterAll is registered for the first
// file of a worker only, so every file removes its file-level dirs here.
afterAll(removeFileDirs);
