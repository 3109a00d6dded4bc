/**
 * What a case action's declaration builds its schemas from: zod and the domain's shared schemas.
 * Declarations import this module's *type* only and receive the module itself at the API edge, so
 * the workflow bundle, which imports the declarations for their rules, never evaluates zod (the
 * sandbox evaluates every module again for each cached case: zod and its schemas were about 1 MB
 * and 8 ms of each one, issue 12).
 */
export { z } from 'zod';
export * from './schemas';
