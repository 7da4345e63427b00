// For the projects that do not isolate their files (vitest.config.ts `isolate: false`: a support module is imported
// once per worker), temp.ts's own afterAll is registered for a worker's first file only: this setup file runs for
// every file, so every file removes its file-level temp dirs.
import { afterAll } from 'vitest';
import { removeFileDirs } from './temp.js';

afterAll(removeFileDirs);
