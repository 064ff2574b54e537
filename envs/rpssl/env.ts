/**
 * rpssl-v1: rock-paper-scissors-Spock-lizard with words, as a two-seat MultiAgentEnv — a thin
 * adapter over the pure rules (rules.ts). Both seats speak at once (`actors` is [0, 1] until each
 * has spoken; speeches may arrive together or one by one). A speech is `say[<free text>]`; its
 * move is the first move name it contains. Neither seat sees the other's speech before both have
 * spoken. The winner gets +1, the loser −1, a draw 0, paid on the last step.
 *
 * The admissible list shows only the placeholder `say[<speech>]`: speeches are proposed on the
 * agent side (agents/rpssl/utterances.ts), as in werewolf-v1.
 * @module
 */
import { EpisodeOverError, InvalidStateError, ResetNeededError } from '../core/errors.js';
import { stateHash } from '../core/state-hash.js';
import { formatTaskId, resolveTaskRef } from '../core/task-ref.js';
import type { EnvState, GameInfo, InvalidAction, MultiAgentEnv, MultiAgentResetResult, MultiAgentStepResult, Observation, ResetOptions, SeatActions, SeatInfo, TaskInfo } from '../core/types.js';
import { displayMove, moveOfSpeech, outcomeSentence, payoff } from './rules.js';

export const RPSSL_ENV_ID = 'rpssl-v1';
/** One game, the same every time: the task list has a single entry. */
export const RPSSL_SPLITS = { train: 1 } as const;
const NAMING = { name: 'rpssl', splits: RPSSL_SPLITS, pad: 1 };

/** What the admissible list shows while a seat is to speak. */
export const RPSSL_SPEECH_PLACEHOLDER = 'say[<speech>]';
/** Longer speeches are cut to this many characters. */
export const RPSSL_MAX_SPEECH = 200;

const INTRO =
  'Rock-paper-scissors-Spock-lizard, played with words. Your move is the first of rock, paper, scissors, Spock or lizard ' +
  'that your speech names; a speech that names none loses to any move. Both players speak at once.';

interface RpsslState {
  /** Each seat's speech, once said. */
  said: [string | null, string | null];
}

const SAY = /^\s*say\s*\[([\s\S]*)\]\s*$/i;

/** The text of `say[...]`, or an invalid-action description. */
export function parseSay(action: string): { ok: true; text: string } | { ok: false; invalid: InvalidAction } {
  const m = SAY.exec(action);
  if (m !== null) return { ok: true, text: m[1]!.trim().slice(0, RPSSL_MAX_SPEECH) };
  const verb = /^\s*([a-z_]+)/i.exec(action)?.[1]?.toLowerCase();
  return {
    ok: false,
    invalid: {
      code: verb === 'say' ? 'PARSE_ERROR' : 'UNKNOWN_VERB',
      message: verb === 'say' ? `'${action.slice(0, 40)}' is not well formed: write say[your speech].` : `'${action.slice(0, 40)}' is not an action here: speak with say[your speech], e.g. say[rock].`,
      suggestions: ['say[rock]', 'say[paper]', 'say[scissors]', 'say[spock]', 'say[lizard]'],
    },
  };
}

export class RpsslEnv implements MultiAgentEnv {
  readonly seats = 2;
  private state: RpsslState | null = null;

  async reset(options: ResetOptions = {}): Promise<MultiAgentResetResult> {
    if (options.task !== undefined) resolveTaskRef(NAMING, options.task);
    this.state = { said: [null, null] };
    return { observations: this.observations(), infos: this.seatInfos(), info: this.info(), actors: this.actors() };
  }

  actors(): number[] {
    if (this.state === null) return [];
    return [0, 1].filter((s) => this.state!.said[s] === null);
  }

  async step(actionsBySeat: SeatActions): Promise<MultiAgentStepResult> {
    const s = this.current();
    if (this.over()) throw new EpisodeOverError();
    const invalid: Record<number, InvalidAction> = {};
    for (const [key, action] of Object.entries(actionsBySeat)) {
      const seat = Number(key);
      if (seat !== 0 && seat !== 1) continue;
      if (s.said[seat] !== null) {
        invalid[seat] = { code: 'NOT_YOUR_TURN', message: `Player ${seat} has spoken already; wait for the other player.`, suggestions: [] };
        continue;
      }
      if (action === null || action === undefined) continue;
      const parsed = parseSay(action);
      if (parsed.ok) s.said[seat] = parsed.text;
      else invalid[seat] = parsed.invalid;
    }
    const done = this.over();
    const infos = this.seatInfos();
    for (const [seat, inv] of Object.entries(invalid)) (infos[Number(seat)] as SeatInfo).invalid = inv;
    const rewards: Record<number, number> = { 0: 0, 1: 0 };
    if (done) {
      const v = this.firstPayoff();
      rewards[0] = v;
      rewards[1] = -v;
    }
    return { observations: this.observations(), rewards, infos, terminated: done, truncated: false, info: this.info(), actors: this.actors() };
  }

  async snapshot(): Promise<EnvState> {
    const s = this.current();
    return { said: [...s.said] };
  }

  async restore(state: EnvState): Promise<void> {
    const said = state !== null && typeof state === 'object' && !Array.isArray(state) ? (state as Record<string, unknown>).said : undefined;
    const ok = Array.isArray(said) && said.length === 2 && said.every((x) => x === null || (typeof x === 'string' && x.length <= RPSSL_MAX_SPEECH));
    if (!ok || Object.keys(state as object).length !== 1) throw new InvalidStateError('Not an rpssl-v1 snapshot: expected exactly { said: [speech or null, speech or null] }.');
    this.state = { said: [said[0] as string | null, said[1] as string | null] };
  }

  async close(): Promise<void> {
    this.state = null;
  }

  private current(): RpsslState {
    if (this.state === null) throw new ResetNeededError();
    return this.state;
  }

  private over(): boolean {
    const { said } = this.current();
    return said[0] !== null && said[1] !== null;
  }

  private firstPayoff(): number {
    const { said } = this.current();
    return payoff(moveOfSpeech(said[0] as string), moveOfSpeech(said[1] as string));
  }

  private observations(): Record<number, Observation> {
    const { said } = this.current();
    const out: Record<number, Observation> = {};
    for (const seat of [0, 1] as const) {
      const lines = [INTRO, `You are player ${seat}; your opponent is player ${1 - seat}.`];
      let actions: string[] = [];
      if (this.over()) {
        const moves = said.map((t) => moveOfSpeech(t as string));
        said.forEach((t, p) => lines.push(`Player ${p} said: ${t} (${displayMove(moves[p]!)}).`));
        const v = payoff(moves[0]!, moves[1]!) * (seat === 0 ? 1 : -1);
        lines.push(`${outcomeSentence(moves[0]!, moves[1]!)} ${v > 0 ? 'You win.' : v < 0 ? 'You lose.' : 'A draw.'}`);
      } else if (said[seat] === null) {
        actions = [RPSSL_SPEECH_PLACEHOLDER];
        lines.push('Your turn: say[your speech].');
      } else {
        lines.push(`${speechLine(said[seat] as string)}`, `Waiting for player ${1 - seat}.`);
      }
      const text = lines.join('\n');
      out[seat] = { text, actions, anchor: text, seat };
    }
    return out;
  }

  private seatInfos(): Record<number, SeatInfo> {
    if (!this.over()) return { 0: { rewardComponents: {} }, 1: { rewardComponents: {} } };
    const v = this.firstPayoff();
    return {
      0: { rewardComponents: { payoff: v }, success: v > 0 },
      1: { rewardComponents: { payoff: -v }, success: v < 0 },
    };
  }

  private info(): GameInfo {
    const { said } = this.current();
    const task: TaskInfo = { id: formatTaskId(NAMING, 'train', 0), split: 'train', index: 0 };
    const secrets: Record<number, string[]> = {};
    if (!this.over()) said.forEach((t, seat) => (secrets[seat] = t === null ? [] : [speechLine(t)]));
    return {
      rewardComponents: {},
      stateKey: stateHash({ said }),
      task,
      ...(this.over() ? {} : { secrets }),
    };
  }
}

/** How a seat sees its own speech while the other has not spoken (its secret until then). */
function speechLine(speech: string): string {
  return `Your speech: ${speech}`;
}
