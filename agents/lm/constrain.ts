/**
 * Constrained decoding (`lm.constrain`, off by default): the model may only write a prefix of one
 * of the admissible actions, each as the tokenizer spells it and closed by end-of-turn, so every
 * reply is an action the env accepts. The model's own distribution is renormalised over the
 * allowed next tokens; the action stays the model's choice, but it is no longer free text, which
 * is why this is an option and measured as a row of its own (docs/lm.md).
 *
 * The log-probs a constrained agent records are those of the constrained distribution; the trainer
 * recomputes π_old unconstrained (as it does after sampling at a temperature), so the PPO ratio
 * compares the unconstrained policy before and after the update. Pure.
 * @module
 */
import type { BpeTokenizer } from './bpe.js';

/** The token sequences of `actions` (each closed by `endId`), as a prefix tree. */
export interface ActionTrie {
  /** The tokens that may follow `written`; empty when `written` is no prefix of any action. */
  next(written: readonly number[]): Set<number>;
}

interface Node {
  children: Map<number, Node>;
}

/** A prefix tree of the admissible actions' token sequences; duplicates and empty actions add nothing new. */
export function actionTrie(tokenizer: BpeTokenizer, actions: readonly string[], endId: number): ActionTrie {
  const root: Node = { children: new Map() };
  for (const action of actions) {
    const text = action.trim();
    if (text === '') continue;
    let node = root;
    for (const id of [...tokenizer.encode(text), endId]) {
      let child = node.children.get(id);
      if (child === undefined) {
        child = { children: new Map() };
        node.children.set(id, child);
      }
      node = child;
    }
  }
  return {
    next(written) {
      let node: Node | undefined = root;
      for (const id of written) {
        node = node.children.get(id);
        if (node === undefined) return new Set();
      }
      return new Set(node.children.keys());
    },
  };
}
