// What the bin needs before main: one module, so that its dynamic import costs one file, not three.

export { exitCodeFor } from '../shared/errors.js';
export { openFilesLimitIn, openFilesLimitMessage } from '../shared/open-files.js';
export { enableCompileCache } from './compile-cache.js';
