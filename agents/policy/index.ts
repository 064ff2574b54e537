/**
 * The tfjs policy: backend selection, featurizer, action scorer, optimizer, checkpoints. (The
 * losses are the trainer's: trainer/losses/.)
 *
 * @example
 * await selectBackend();                         // tfjs-node-gpu → tfjs-node → wasm (cpu only if allowed)
 * const scorer = ActionScorer.create({ seed: 1 });
 * const [choice] = scorer.act([{ goal, text, history, candidates }], { rng });
 * @module
 */

export {
  selectBackend,
  currentBackend,
  assertBackendSelected,
  explainLoadError,
  BACKEND_ORDER,
  type BackendName,
  type BackendPreference,
  type BackendSelection,
  type BackendAttempt,
  type SelectBackendOptions,
} from './backend.js';
export { registerMissingKernels, ADDED_KERNELS } from './kernels.js';
export { PolicyError, type PolicyErrorCode } from './errors.js';
export {
  Featurizer,
  DEFAULT_FEATURIZER_CONFIG,
  PAIR_FEATURE_NAMES,
  PAIR_FEATURES,
  MEMORY_PAIR_FEATURE_NAMES,
  LEGACY_FEATURIZER_CONFIG,
  pairFeatureNames,
  fnv1a32,
  tokenize,
  toDense,
  policyInputFromObservation,
  type FeaturizerConfig,
  type MemoryLayout,
  type FeatureBatch,
  type SparseRows,
  type PolicyInput,
  type HistoryStep,
} from './featurizer.js';
export {
  embeddingBag,
  embeddingBagJs,
  gatherRows,
  segmentGatherSum,
  matMulFast,
  type SegmentSpec,
} from './sparse-ops.js';
export {
  ActionScorer,
  DEFAULT_SCORER_CONFIG,
  SCORER_FORMAT_VERSION,
  upgradeScorerConfig,
  type ScorerConfig,
  type ScorerConfigInput,
  type PolicyRow,
  type EncodedBatch,
  type PolicyTensors,
  type ActOptions,
  type ActResult,
  type NamedTensor,
  type NamedVariable,
} from './model.js';
export {
  AdamClip,
  DEFAULT_ADAM_CONFIG,
  type AdamConfig,
  type LossClosure,
  type StepResult,
} from './optimizer.js';
export {
  saveCheckpoint,
  loadCheckpoint,
  saveScorer,
  loadScorer,
  directoryIOHandler,
  MODEL_FILE,
  WEIGHTS_FILE,
  OPTIMIZER_FILE,
  OPTIMIZER_WEIGHTS_FILE,
  RUN_STATE_FILE,
  type RunState,
} from './checkpoint.js';
