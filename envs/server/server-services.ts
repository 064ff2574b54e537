/**
 * What an env server computes for its clients beyond stepping envs, given by its caller (the CLI is
 * the composition root), so that envs/ imports nothing from the floors above it.
 * @module
 */
import type { AdvantagesComputed, Params } from '../protocol/messages.js';

export interface ServerServices {
  /** `advantages.compute`: the trainer's estimators on rows a client sent. Without it the method is METHOD_NOT_FOUND. */
  advantages?: (params: Params<'advantages.compute'>) => AdvantagesComputed;
}
