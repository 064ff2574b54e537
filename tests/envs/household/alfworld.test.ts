/**
 * household-v1 on ALFWorld's own game files (`games: { dir }`), on games written for these tests in
 * ALFWorld's layout and PDDL vocabulary (tests/fixtures/alfworld, made by make_fixtures.py): the
 * PDDL reader, ALFWorld's numbering of names, the world built from the facts, the expert on every
 * loaded game, the conformance kit (in process and over a WebSocket), and the reported skips.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { solveWithExpert } from '../../../agents/household-expert.js';
import '../../../envs/builtin.js';
import { RemoteEnvClient } from '../../../envs/client/index.js';
import { OptionsError, UnknownTaskError } from '../../../envs/core/errors.js';
import { make } from '../../../envs/core/registry.js';
import { loadGame, locateSplits } from '../../../envs/household/alfworld/games-dir.js';
import { displayNames } from '../../../envs/household/alfworld/names.js';
import { parseProblem, PddlError } from '../../../envs/household/alfworld/pddl.js';
import { HouseholdEnv } from '../../../envs/household/env.js';
import { parseGoalText } from '../../../envs/household/goal-text.js';
import { startServer, type EnvServer } from '../../../envs/server/index.js';
import { describeConformance } from '../../helpers/conformance.js';

const ROOT = path.resolve('tests/fixtures/alfworld/json_2.1.1');
const tmp: string[] = [];
afterAll(() => {
  for (const d of tmp) rmSync(d, { recursive: true, force: true });
});

describe('ALFWorld PDDL and names', () => {
  it('reads objects, :init facts (numeric ones dropped) and the goal', () => {
    const p = parseProblem('(define (problem p) (:objects a1 - agent Mug_bar_1 Mug_bar_2 - object) (:init (= (totalCost) 0) (inReceptacle Mug_bar_1 Desk_bar_3) ; note\n (opened Desk_bar_3)) (:goal (and (opened Desk_bar_3))))');
    expect([...p.objects]).toEqual([['a1', 'agent'], ['Mug_bar_1', 'object'], ['Mug_bar_2', 'object']]);
    expect(p.facts).toEqual([['inReceptacle', 'Mug_bar_1', 'Desk_bar_3'], ['opened', 'Desk_bar_3']]);
    expect(p.goal).toEqual(['and', ['opened', 'Desk_bar_3']]);
    expect(() => parseProblem('(define (problem p) (:objects a - agent) (:init (opened x)')).toThrow(PddlError);
    expect(() => parseProblem('(define (problem p) (:init))')).toThrow(/no \(:objects/);
  });
  it("numbers instances as ALFWorld's demangler does: sorted ids take the numbers from the top down", () => {
    const names = displayNames(new Map([['Mug_bar_b', 'mug'], ['Mug_bar_a', 'mug'], ['Mug_bar_c', 'mug'], ['Desk_bar_x', 'desk']]));
    expect(Object.fromEntries(names)).toEqual({ Mug_bar_a: 'mug 3', Mug_bar_b: 'mug 2', Mug_bar_c: 'mug 1', Desk_bar_x: 'desk 1' });
  });
});

describe('household-v1 on ALFWorld games', () => {
  it('loads the games it can express and reports the others with their reasons', () => {
    const env = new HouseholdEnv({ games: { dir: ROOT } });
    const games = env.games!;
    expect(games.splits).toEqual(['train', 'valid_seen', 'valid_unseen']);
    expect(games.split('valid_unseen').games.map((g) => g.type)).toEqual(['look_at_obj_in_light', 'pick_and_place', 'pick_heat_then_place']);
    expect(games.split('train').games.map((g) => g.type)).toEqual(['pick_two_obj_and_place']);
    expect(games.split('valid_seen').games.map((g) => g.type)).toEqual(['pick_cool_then_place']);
    expect(games.split('valid_seen').skipped.map((s) => s.reason)).toEqual(["PDDL predicate 'levitating' is not in ALFWorld's domain as this loader knows it"]);
  });

  it('builds the world from the facts, with ALFWorld names and texts', async () => {
    const env = new HouseholdEnv({ games: { dir: ROOT } });
    const { observation, info } = await env.reset({ task: 'household/valid_unseen/00001' });
    expect(info.task).toEqual(expect.objectContaining({ id: 'household/valid_unseen/00001', split: 'valid_unseen', type: 'pick_and_place', game: expect.stringContaining('pick_and_place_simple-Mug-None-CoffeeMachine-10') }));
    expect(observation.text).toMatch(/^-= Welcome to TextWorld, ALFRED! =-\n\nYou are in the middle of a room\. Looking quickly around you, you see a cabinet 1, a cabinet 2, a coffeemachine 1, a countertop 1, a fridge 1, a microwave 1, a sinkbasin 1, and a stoveburner 1\.\n\nYour task is to: /);
    expect(parseGoalText(observation.goal!)).toEqual({ type: 'pick_and_place', object: 'mug', target: 'coffeemachine' });
    const s = env.gameState!;
    expect(s.world.objects.map((o) => o.name)).toEqual(['apple 1', 'fork 1', 'mug 1', 'mug 2']); // the window and the light switch are scenery
    expect((await env.step('go to fridge 1')).observation.text).toBe('You arrive at fridge 1. The fridge 1 is closed.');
    const opened = await env.step('open fridge 1');
    expect(opened.observation.text).toMatch(/^You open the fridge 1\. The fridge 1 is open\. In it, you see a mug \d\.$/);
    expect((await env.step('put the mug in the sky')).observation.text).toBe('Nothing happens.');
    // The look game: the desklamp stands where the PDDL puts it.
    await env.reset({ task: { split: 'valid_unseen', index: 0 } });
    const look = env.gameState!;
    expect(look.world.lamps).toEqual([{ name: 'desklamp 1', type: 'desklamp', at: look.world.receptacles.findIndex((r) => r.name === 'sidetable 1') }]);
  });

  it('the expert solves every loaded game', async () => {
    const env = new HouseholdEnv({ games: { dir: ROOT } });
    for (const [split, n] of [['valid_unseen', 3], ['train', 1], ['valid_seen', 1]] as const) {
      for (let index = 0; index < n; index++) {
        const ep = await solveWithExpert(env, { split, index }, 1, 50);
        expect(ep.success, `${split}/${index}: ${ep.actions.join(' | ')}`).toBe(true);
      }
    }
  });

  it('refuses task references outside the loaded games and bad options', async () => {
    const env = new HouseholdEnv({ games: { dir: ROOT } });
    await expect(env.reset({ task: { split: 'valid_unseen', index: 3 } })).rejects.toThrow(UnknownTaskError);
    await expect(env.reset({ task: { split: 'valid_seen', index: 1 } })).rejects.toThrow(/valid_seen \(0\.\.0\)/);
    expect(() => new HouseholdEnv({ games: { dir: ROOT, split: 'x' } as never })).toThrow(OptionsError);
  });
});

describe('household-v1 on bad ALFWorld data', () => {
  function copy(): string {
    const d = mkdtempSync(path.join(tmpdir(), 'ludus-alfworld-'));
    tmp.push(d);
    cpSync(ROOT, d, { recursive: true });
    return d;
  }
  const trial = 'valid_unseen/pick_and_place_simple-Mug-None-CoffeeMachine-10/trial_T20190907_000001_000001';
  it('a missing or wrong directory is a clear error', () => {
    expect(() => locateSplits('/nonexistent/alfworld')).toThrow(expect.objectContaining({ code: 'DATA_MISSING' }));
    expect(() => locateSplits(path.join(ROOT, trial))).toThrow(/one trial directory: pass the json_2\.1\.1 directory/);
    expect(() => new HouseholdEnv({ games: { dir: path.resolve('tests/fixtures') } })).toThrow(/not ALFWorld's json_2\.1\.1/);
  });
  it('a truncated or malformed file is a reported skip naming the file and the field', () => {
    const d = copy();
    const traj = path.join(d, trial, 'traj_data.json');
    const text = readFileSync(traj, 'utf8');
    writeFileSync(traj, text.slice(0, 100));
    expect(loadGame(d, { split: 'valid_unseen', path: trial })).toEqual(expect.objectContaining({ reason: expect.stringMatching(/^traj_data\.json is not valid JSON .*truncated\?/) }));
    const t = JSON.parse(text) as { pddl_params: Record<string, unknown> };
    delete t.pddl_params.parent_target;
    writeFileSync(traj, JSON.stringify(t));
    expect(loadGame(d, { split: 'valid_unseen', path: trial })).toEqual(expect.objectContaining({ reason: "traj_data.json: field 'pddl_params.parent_target' must be a string" }));
    writeFileSync(traj, text);
    const gameFile = path.join(d, trial, 'game.tw-pddl');
    const game = JSON.parse(readFileSync(gameFile, 'utf8')) as Record<string, unknown>;
    writeFileSync(gameFile, JSON.stringify({ ...game, solvable: false }));
    expect(loadGame(d, { split: 'valid_unseen', path: trial })).toEqual(expect.objectContaining({ reason: 'game.tw-pddl is not marked solvable (ALFWorld skips these too)' }));
    writeFileSync(gameFile, JSON.stringify({ ...game, pddl_problem: (game.pddl_problem as string).slice(0, 500) }));
    expect(loadGame(d, { split: 'valid_unseen', path: trial })).toEqual(expect.objectContaining({ reason: expect.stringMatching(/PDDL problem is malformed: unbalanced parentheses/) }));
    writeFileSync(gameFile, JSON.stringify({ ...game, pddl_problem: (game.pddl_problem as string).replace('(:init', '(:init (holds agent1 Mug_bar_x)') }));
    expect(loadGame(d, { split: 'valid_unseen', path: trial })).toEqual(expect.objectContaining({ reason: 'the agent starts holding an object (PDDL fact holds)' }));
    writeFileSync(gameFile, JSON.stringify({ ...game, pddl_problem: (game.pddl_problem as string).replace(/ForkType/g, 'HourglassType') }));
    expect(loadGame(d, { split: 'valid_unseen', path: trial })).toEqual(expect.objectContaining({ reason: "object type 'hourglass' is not in household-v1's object catalog" }));
    writeFileSync(gameFile, JSON.stringify({ ...game, pddl_problem: (game.pddl_problem as string).replace(/CoffeeMachineType/g, 'CartType') }));
    expect(loadGame(d, { split: 'valid_unseen', path: trial })).toEqual(expect.objectContaining({ reason: "receptacle type 'cart' (CoffeeMachine) is not one household-v1 has" }));
  });
  it('the env says on stderr how many games of a split it leaves out', async () => {
    const lines: string[] = [];
    const { AlfworldGames } = await import('../../../envs/household/alfworld/games.js');
    const g = AlfworldGames.open(copy(), (l) => lines.push(l));
    expect(g.split('valid_seen').games).toHaveLength(1);
    expect(lines).toEqual([expect.stringMatching(/^household-v1: 1 of 2 ALFWorld valid_seen games cannot be played here .* `ludus bench-data check .*` lists them all\.$/)]);
  });
});

const tasks = ['household/valid_unseen/00000', 'household/valid_unseen/00001', 'household/valid_unseen/00002', 'household/train/00000', 'household/valid_seen/00000'];
describeConformance('household-v1 on ALFWorld games', (o) => make('household-v1', { games: { dir: ROOT }, ...(o ?? {}) }), { tasks });

let server: EnvServer;
let client: RemoteEnvClient;
beforeAll(async () => {
  server = await startServer({ port: 0 });
  client = await RemoteEnvClient.connect(server.url);
});
afterAll(async () => {
  await client?.close();
  await server?.close();
});
describeConformance('household-v1 on ALFWorld games over WebSocket', async (o) => (await client.open('household-v1', { games: { dir: ROOT }, ...(o ?? {}) }))[0]!, { tasks });
