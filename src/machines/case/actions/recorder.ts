/** Who sent an action that records it: filled in from the caller's token, never from the body. */
import { z } from 'zod';

export const recordedBy = z.string().min(1).max(120);
