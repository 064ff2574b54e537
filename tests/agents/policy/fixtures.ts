/** Small policy inputs and configs shared by the policy tests. */
import type { PolicyInput, PolicyRow, ScorerConfigInput } from '../../../agents/policy/index.js';

/** Small dims so the tests stay fast. */
export const SMALL_CONFIG: ScorerConfigInput = { featurizer: { dim: 256 }, hidden: 8, mlpHidden: 8, seed: 3 };

export const INPUTS: PolicyInput[] = [
  {
    goal: 'put a clean apple in the fridge',
    text: 'You are in the kitchen. You see a countertop 1, a fridge 1 and a sinkbasin 1.',
    candidates: ['go to countertop 1', 'go to fridge 1', 'go to sinkbasin 1', 'look', 'inventory'],
  },
  {
    goal: 'find the key',
    text: 'You open the drawer 1. It is empty.',
    history: [
      { observation: 'You are in the bedroom.', action: 'go to drawer 1' },
      { observation: 'You arrive at drawer 1.', action: 'open drawer 1' },
    ],
    candidates: ['close drawer 1', 'go to bed 1'],
  },
  {
    text: 'A free-form step with proposed candidates.',
    candidates: ['search[red shoes]', 'search[running shoes size 9]', 'click[back]'],
  },
];

export const ROWS: PolicyRow[] = INPUTS.map((x, i) => ({ ...x, chosen: i % x.candidates.length }));
