/**
 * Shape checks shared by the single- and multi-agent checks: observations, infos, JSON.
 * @module
 */
import { stableStringify } from '../core/state-hash.js';
import type { Observation, SeatInfo, StepInfo } from '../core/types.js';
import { fail } from './kit.js';

export function checkObservation(name: string, where: string, o: Observation): void {
  if (o === null || typeof o !== 'object') fail(name, `${where}: observation must be an object`);
  if (typeof o.text !== 'string') fail(name, `${where}: observation.text must be a string`);
  if (!Array.isArray(o.actions) || !o.actions.every((a) => typeof a === 'string')) fail(name, `${where}: observation.actions must be an array of strings`);
  if (typeof o.anchor !== 'string') fail(name, `${where}: observation.anchor must be a string (the raw current observation)`);
}

export function checkRewardComponents(name: string, where: string, info: StepInfo | SeatInfo): void {
  if (info === null || typeof info !== 'object') fail(name, `${where}: info must be an object`);
  if (info.rewardComponents === null || typeof info.rewardComponents !== 'object') fail(name, `${where}: info.rewardComponents must be an object of numbers`);
  for (const [k, v] of Object.entries(info.rewardComponents)) {
    if (typeof v !== 'number' || !Number.isFinite(v)) fail(name, `${where}: info.rewardComponents.${k} must be a finite number`);
  }
  if (info.invalid !== undefined) {
    const inv = info.invalid;
    if (typeof inv.code !== 'string' || typeof inv.message !== 'string' || !Array.isArray(inv.suggestions)) {
      fail(name, `${where}: info.invalid must be { code, message, suggestions[] }`);
    }
  }
  if (info.success !== undefined && typeof info.success !== 'boolean') fail(name, `${where}: info.success must be a boolean`);
}

export function checkStepInfo(name: string, where: string, info: StepInfo): void {
  checkRewardComponents(name, where, info);
  if (typeof info.stateKey !== 'string' || info.stateKey.length === 0) fail(name, `${where}: info.stateKey must be a non-empty string`);
}

export function checkReward(name: string, where: string, reward: unknown, terminated: unknown, truncated: unknown): void {
  if (typeof reward !== 'number' || !Number.isFinite(reward)) fail(name, `${where}: reward must be a finite number`);
  if (typeof terminated !== 'boolean' || typeof truncated !== 'boolean') fail(name, `${where}: terminated and truncated must be booleans`);
  if (terminated && truncated) fail(name, `${where}: a step must not be both terminated and truncated`);
}

export function checkJson(name: string, where: string, value: unknown): void {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (err) {
    fail(name, `${where} is not JSON-serializable: ${(err as Error).message}`);
  }
  if (text === undefined) fail(name, `${where} is not JSON-serializable`);
  if (stableStringify(JSON.parse(text)) !== stableStringify(value)) {
    fail(name, `${where} changes under JSON round trip (undefined in arrays, NaN, Infinity, class instances?)`);
  }
}
