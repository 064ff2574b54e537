/**
 * The claim grammar: what a speech claims, as the rule bots read it. A speech is free text; these
 * patterns (case-insensitive, anywhere in the speech) are read as claims, in the order they occur.
 * Text that matches none is heard but claims nothing; a claim may be false — that is the game.
 *
 *   claim                         example                              read as
 *   ─────────────────────────────────────────────────────────────────────────────────────────────
 *   own role                      "I am the seer", "I'm a villager"    { type: 'role', role }
 *   accusation                    "player 3 is a werewolf" ("a wolf")  { type: 'accuse', target }
 *   defence / clearing            "player 3 is not a werewolf",        { type: 'clear', target }
 *                                 "player 3 is innocent"
 *   another's role                "player 3 is the doctor"             { type: 'role-of', target, role }
 *   a seer's result               "I checked 5: not a werewolf",       { type: 'check', target, werewolf }
 *                                 "I checked player 5: a werewolf"
 *   vote intention                "I will vote 4", "I vote for p4",    { type: 'vote', target }
 *                                 "I will vote none" (target null)
 *   a doctor's save               "I protected player 2"               { type: 'protect', target }
 *   suspicion / trust             "I suspect player 1", "I trust 6"    { type: 'suspect' | 'trust', target }
 *
 * A player is `player N`, `pN`, or — after checked / vote / protected / suspect / trust — a bare
 * number. {@link claimText} writes each claim in its canonical form; parseClaims(claimText(c)) is [c].
 * @module
 */
import { PLAYER_COUNT, type Role } from './roles.js';

export type Claim =
  | { type: 'role'; role: Role }
  | { type: 'accuse'; target: number }
  | { type: 'clear'; target: number }
  | { type: 'role-of'; target: number; role: Exclude<Role, 'werewolf'> }
  | { type: 'check'; target: number; werewolf: boolean }
  | { type: 'vote'; target: number | null }
  | { type: 'protect'; target: number }
  | { type: 'suspect'; target: number }
  | { type: 'trust'; target: number };

export type ClaimType = Claim['type'];

const PLAYER = String.raw`(?:player\s*|p)(\d+)`;
const LOOSE = String.raw`(?:player\s*|p)?(\d+)`;
const WOLF = String.raw`(?:werewolf|wolf)`;
const ROLE_WORD: Record<string, Role> = { werewolf: 'werewolf', wolf: 'werewolf', seer: 'seer', doctor: 'doctor', villager: 'villager' };

interface Pattern {
  re: RegExp;
  build: (m: RegExpExecArray) => Claim | null;
}

function seatOf(text: string | undefined): number | null {
  const n = Number(text);
  return Number.isInteger(n) && n >= 0 && n < PLAYER_COUNT ? n : null;
}

function withTarget(text: string | undefined, make: (target: number) => Claim): Claim | null {
  const target = seatOf(text);
  return target === null ? null : make(target);
}

const PATTERNS: Pattern[] = [
  {
    re: new RegExp(String.raw`\bI\s*(?:am|'m)\s+(?:the|a|an)\s+(werewolf|wolf|seer|doctor|villager)\b`, 'gi'),
    build: (m) => ({ type: 'role', role: ROLE_WORD[m[1]!.toLowerCase()]! }),
  },
  {
    re: new RegExp(String.raw`\bI\s+checked\s+${LOOSE}\s*(?::|,|\s-|\s+and\s+(?:he|she|they)\s+(?:is|are))\s*(not\s+)?(?:a\s+)?${WOLF}\b`, 'gi'),
    build: (m) => withTarget(m[1], (target) => ({ type: 'check', target, werewolf: m[2] === undefined })),
  },
  {
    re: new RegExp(String.raw`\b${PLAYER}\s+is\s+(?:not\s+(?:a\s+)?${WOLF}|innocent)\b`, 'gi'),
    build: (m) => withTarget(m[1], (target) => ({ type: 'clear', target })),
  },
  {
    re: new RegExp(String.raw`\b${PLAYER}\s+is\s+(?:a\s+)?${WOLF}\b`, 'gi'),
    build: (m) => withTarget(m[1], (target) => ({ type: 'accuse', target })),
  },
  {
    re: new RegExp(String.raw`\b${PLAYER}\s+is\s+(?:the|a)\s+(seer|doctor|villager)\b`, 'gi'),
    build: (m) => withTarget(m[1], (target) => ({ type: 'role-of', target, role: ROLE_WORD[m[2]!.toLowerCase()] as Exclude<Role, 'werewolf'> })),
  },
  {
    re: new RegExp(String.raw`\bI(?:\s+will|'ll)?\s+vote\s+(?:for\s+)?(?:${LOOSE}|(none|nobody|abstain))\b`, 'gi'),
    build: (m) => (m[2] !== undefined ? { type: 'vote', target: null } : withTarget(m[1], (target) => ({ type: 'vote', target }))),
  },
  {
    re: new RegExp(String.raw`\bI\s+protected\s+${LOOSE}\b`, 'gi'),
    build: (m) => withTarget(m[1], (target) => ({ type: 'protect', target })),
  },
  {
    re: new RegExp(String.raw`\bI\s+(suspect|trust)\s+${LOOSE}\b`, 'gi'),
    build: (m) => withTarget(m[2], (target) => ({ type: m[1]!.toLowerCase() as 'suspect' | 'trust', target })),
  },
];

/** The claims of a speech, in the order they occur. Overlapping matches keep the earlier one. */
export function parseClaims(speech: string): Claim[] {
  const found: { at: number; end: number; claim: Claim }[] = [];
  for (const { re, build } of PATTERNS) {
    re.lastIndex = 0;
    for (const m of speech.matchAll(re)) {
      const claim = build(m);
      if (claim !== null) found.push({ at: m.index, end: m.index + m[0].length, claim });
    }
  }
  found.sort((a, b) => a.at - b.at || b.end - a.end);
  const out: Claim[] = [];
  let reach = -1;
  for (const f of found) {
    if (f.at < reach) continue;
    out.push(f.claim);
    reach = f.end;
  }
  return out;
}

const ARTICLE: Record<Role, string> = { werewolf: 'a werewolf', seer: 'the seer', doctor: 'the doctor', villager: 'a villager' };

/** The canonical sentence of a claim. */
export function claimText(claim: Claim): string {
  switch (claim.type) {
    case 'role':
      return `I am ${ARTICLE[claim.role]}.`;
    case 'accuse':
      return `Player ${claim.target} is a werewolf.`;
    case 'clear':
      return `Player ${claim.target} is not a werewolf.`;
    case 'role-of':
      return `Player ${claim.target} is ${ARTICLE[claim.role]}.`;
    case 'check':
      return `I checked player ${claim.target}: ${claim.werewolf ? 'a werewolf' : 'not a werewolf'}.`;
    case 'vote':
      return claim.target === null ? 'I will vote none.' : `I will vote player ${claim.target}.`;
    case 'protect':
      return `I protected player ${claim.target}.`;
    case 'suspect':
      return `I suspect player ${claim.target}.`;
    case 'trust':
      return `I trust player ${claim.target}.`;
  }
}

/** A speech made of claims, in canonical form. */
export function speechOf(claims: readonly Claim[]): string {
  return claims.map(claimText).join(' ');
}
