/**
 * The run store's public surface: open a store, record runs / iterations / episodes / steps,
 * read them back for the viewer, keep ARPO replay buffers and the checkpoint index.
 * @module
 */
export { openStore, RunStore, DEFAULT_STORE_PATH, DEFAULT_STORE_OPTIONS } from './store.js';
export type { StoreOptions, ResolvedStoreOptions } from './store.js';
export { StoreError } from './errors.js';
export type { StoreErrorCode } from './errors.js';
export { MIGRATIONS, SCHEMA_VERSION, migrate } from './schema.js';
export type { Migration } from './schema.js';
export { stepFromResult } from './codec.js';
export { MemoryReplayBuffer, DEFAULT_REPLAY_CAPACITY } from './replay-buffer.js';
export type { ReplayBuffer } from './replay-buffer.js';
export type {
  AnchorGroup,
  AnchorGroupKey,
  AnchorGroupMember,
  CheckpointInfo,
  CheckpointInput,
  EpisodeFilter,
  EpisodePage,
  EpisodeRecord,
  EpisodeStep,
  EpisodeSummary,
  IterationInfo,
  IterationMetrics,
  Pagination,
  ReplayEntry,
  ReplayInput,
  RunInfo,
  RunInput,
  RunKind,
  RunStatus,
  StoredEpisode,
  StoredStep,
} from './types.js';
