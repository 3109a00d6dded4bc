/**
 * The read side over the recorded events and steps: one module per view. Each takes "today"
 * from its caller, so answers are reproducible for any date.
 */
export { overdueBoard, dueSoonHorizon } from './overdueBoard';
export { monthlyReview, reviewPeriod, type ReviewPeriod } from './monthlyReview';
export { caseTimeline } from './timeline';
export { phaseDurations } from './phaseDurations';
export { rebuildReadModel, type RebuildOptions, type RebuildReport } from './rebuild';
