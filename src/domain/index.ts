export * from './model.js';
export * from './events.js';
export * from './commands.js';
export * from './limits.js';
export * from './palette.js';
export * from './errors.js';
export { decide, stampEvent } from './decide.js';
export { commentText, itemText, linkUrl, optionalText, requiredText } from './text.js';
export { findChecklist, findItem, findLink } from './decide-checklist.js';
export type { DecideContext } from './decide.js';
export { applyEvent, applyEvents } from './apply-event.js';
export { newId, proposedIdPattern } from './ids.js';
export type { IdKind } from './ids.js';
export { positionFor } from './positions.js';
export { actionOf, authorize, boardNotFound, isAllowed, isPublic, permissionsOf, roleOf } from './access.js';
export type { Action, Permissions } from './access.js';
export { dueStatus, DUE_SOON_MS } from './due-status.js';
export type { DueStatus } from './due-status.js';
export { filterTasks, taskMatcher } from './filter-tasks.js';
export type { FilterClock, TaskFilter } from './filter-tasks.js';
export { applyTaskChanges } from './task-changes.js';
export type { ChangedField, SetDelta, TaskChanges, ValueChange } from './task-changes.js';
export { instant } from './card-values.js';
export { describeEvent } from './describe-event.js';
export type { DescribeOptions } from './describe-event.js';
export {
  MAX_TERM_LENGTH,
  SEARCH_LIMITS,
  excerptOf,
  foldTerm,
  highlightsOf,
  matches,
  queryTerms,
  termsOf,
  tokenize,
} from './search-text.js';
export type { Excerpt, Highlight, Token } from './search-text.js';
