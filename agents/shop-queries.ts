/**
 * Search-query candidates for shop-v1, on the AGENT side: the env only lists the placeholder
 * `search[<query>]`; this proposer replaces it with a few concrete queries made from the
 * instruction (`observation.goal`), so a policy that scores candidates can search:
 *   1. the full instruction;
 *   2. the instruction without its price clause;
 *   3. the product description alone: no opener ("i need a"), no options, no price;
 *   4. the key noun phrase: the last two words of (3) before "that is".
 * Duplicates are dropped; every other admissible action is kept as it is.
 *
 * `CANDIDATE_PROPOSERS` (agents/candidates.ts) lists it for 'shop-v1'.
 * @module
 */
import type { Observation } from '../envs/core/types.js';

export const SHOP_SEARCH_PLACEHOLDER = 'search[<query>]';

const OPENER = /^(?:i'm looking for|i am looking for|i need|find me|i want to buy|i want|show me|i would like)\s+(?:an?\s+)?/;

/** The query variants for an instruction, best first, without duplicates. */
export function shopQueryVariants(instruction: string): string[] {
  const full = instruction.trim().toLowerCase().replace(/[[\]]/g, ' ').replace(/\s+/g, ' ');
  if (full === '') return [];
  const noPrice = full.replace(/,?\s*and price lower than [\d.]+ dollars\s*$/, '').trim();
  const product = noPrice.replace(/\s+with\s+[a-z]+:.*$/, '').replace(OPENER, '').trim();
  const head = product.split(' that is ')[0]!.trim().split(' ');
  const keyPhrase = head.slice(-2).join(' ');
  const out: string[] = [];
  for (const q of [full, noPrice, product, keyPhrase]) if (q !== '' && !out.includes(q)) out.push(q);
  return out;
}

export const shopQueryProposer = (observation: Observation): string[] => {
  if (!observation.actions.includes(SHOP_SEARCH_PLACEHOLDER)) return observation.actions;
  const queries = shopQueryVariants(observation.goal ?? '').map((q) => `search[${q}]`);
  const rest = observation.actions.filter((a) => a !== SHOP_SEARCH_PLACEHOLDER);
  return queries.length > 0 ? [...queries, ...rest] : observation.actions;
};

