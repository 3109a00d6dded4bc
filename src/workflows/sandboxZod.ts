/**
 * zod without generated parsers (`jitless`). The worker evaluates the workflow bundle's modules
 * again for every new workflow and every cache-miss replay, so zod's JIT compiled its object
 * parsers anew (`new Function`) for each case; in an A/B replay of the fixtures cold replays took
 * about 8 % less time without it (issue 12). Results are the same either way. Imported first by
 * the workflows' index; the API imports that index too, where the JIT's gain is too small to matter.
 */
import { z } from 'zod';

z.config({ jitless: true });
