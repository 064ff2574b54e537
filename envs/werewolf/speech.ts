/**
 * What becomes of a speech before anyone hears it: line breaks and tabs become spaces, other
 * control characters (C0/C1, and the bidirectional overrides that can make text read differently
 * from what it is) are removed, the ends are trimmed, and what remains is cut to the limit
 * (counted in Unicode code points, so no character is split). The speaker's info says what was
 * changed; the speech itself is accepted — speaking too long is not a foul, and the game goes on.
 * @module
 */

export interface CleanSpeech {
  text: string;
  /** Code points of the speech as sent. */
  originalLength: number;
  /** Control characters removed or turned into spaces. */
  controlCharacters: number;
  /** The speech was longer than the limit and was cut. */
  cut: boolean;
}

// Line breaks and tabs: spaces. Other C0/C1 controls, line/paragraph separators, bidi controls: removed.
const SPACING = /[\t\n\v\f\r\u0085\u2028\u2029]/g;
const REMOVED = /[\u0000-\u0008\u000e-\u001f\u007f-\u0084\u0086-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

export function cleanSpeech(raw: string, limit: number): CleanSpeech {
  let controlCharacters = 0;
  const spaced = raw.replace(SPACING, () => {
    controlCharacters++;
    return ' ';
  });
  const stripped = spaced.replace(REMOVED, () => {
    controlCharacters++;
    return '';
  });
  const trimmed = stripped.trim();
  const points = Array.from(trimmed);
  const cut = points.length > limit;
  return {
    text: cut ? points.slice(0, limit).join('').trimEnd() : trimmed,
    originalLength: Array.from(raw).length,
    controlCharacters,
    cut,
  };
}

/** The sentence the speaker's info carries when its speech was changed, or null. */
export function speechNotice(clean: CleanSpeech, limit: number): string | null {
  const parts: string[] = [];
  if (clean.cut) parts.push(`it was cut to ${limit} characters (it had ${clean.originalLength})`);
  if (clean.controlCharacters > 0) parts.push(`${clean.controlCharacters} control character${clean.controlCharacters === 1 ? ' was' : 's were'} removed or replaced by spaces`);
  return parts.length === 0 ? null : `Your speech was accepted, but ${parts.join(', and ')}.`;
}
