import { fileURLToPath } from 'node:url';

/** The repository's root directory, for tools that read and write its files. */
export const repository = fileURLToPath(new URL('../../', import.meta.url));
