import * as path from 'node:path';

/** Where `jiansuo` reads sources by default, relative to the working directory (the repository root for `npm start`). */
export const DEFAULT_SOURCE = path.join('index-data', 'sources');

/** Where `jiansuo` writes and reads the index by default, relative to the working directory. */
export const DEFAULT_INDEX = path.join('index-data', 'index');
