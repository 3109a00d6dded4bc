/**
 * The plan's three intervention tracks (seed 001: pupil and parents, the school community,
 * teaching). Plain values, no zod: the case machine's rules read them inside the workflow sandbox.
 */
export const MEASURE_TRACKS = ['pupil_parents', 'community', 'teaching'] as const;
export type MeasureTrack = (typeof MEASURE_TRACKS)[number];
