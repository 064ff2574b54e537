/**
 * Grounded commands: a verb with entity indices, as the rules apply them. Their canonical text
 * ("take mug 1 from cabinet 2") is what the admissible list shows and what the parser produces.
 * @module
 */

export type Command =
  | { verb: 'look' }
  | { verb: 'inventory' }
  | { verb: 'help' }
  | { verb: 'go'; r: number }
  | { verb: 'open'; r: number }
  | { verb: 'close'; r: number }
  | { verb: 'take'; o: number; r: number }
  | { verb: 'move'; o: number; r: number }
  | { verb: 'clean' | 'heat' | 'cool'; o: number; r: number }
  | { verb: 'use'; l: number }
  | { verb: 'examine'; r: number }
  | { verb: 'examine-object'; o: number };

export type Verb = Command['verb'];
