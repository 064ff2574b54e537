/**
 * The admissible commands of a state: every grounded command that applies now, as ALFWorld lists
 * them (`go to` every other receptacle; at a receptacle: open/close, take, move, clean/heat/cool,
 * use a lamp there, examine it; examine the carried object; inventory, look, help). A command is
 * accepted exactly when its canonical text is in this list, so the list and the rules never
 * disagree.
 *
 * Preconditions, as in ALFWorld: be at the receptacle; take/move need it open (or not openable)
 * and take needs empty hands (one object at a time); clean/heat/cool need the carried object to be
 * cleanable/heatable/coolable and the agent at a sinkbasin/microwave/fridge (which need not be
 * open); a lamp is used where it stands; examine covers the receptacle you are at and the object
 * you carry.
 * @module
 */
import type { Command } from './commands.js';
import { objectInfo } from './objects.js';
import { isAccessible, worldIndex, type GameState } from './state.js';

export interface Admissible {
  /** Canonical command texts, in a fixed order. */
  texts: string[];
  /** The grounded command for each text (same index). */
  commands: Command[];
}

export function admissibleCommands(state: GameState): Admissible {
  const { world, dyn } = state;
  const idx = worldIndex(world);
  const texts: string[] = [];
  const commands: Command[] = [];
  const add = (text: string, command: Command) => {
    texts.push(text);
    commands.push(command);
  };

  for (let r = 0; r < world.receptacles.length; r++) if (r !== dyn.location) add(idx.goTo[r]!, { verb: 'go', r });

  const r = dyn.location;
  const held = dyn.holding;
  const heldName = held >= 0 ? world.objects[held]!.name : '';
  if (r >= 0) {
    const rec = world.receptacles[r]!;
    if (idx.openable[r]) {
      if (dyn.open[r]) add(`close ${rec.name}`, { verb: 'close', r });
      else add(`open ${rec.name}`, { verb: 'open', r });
    }
    const accessible = isAccessible(state, r);
    if (accessible && held < 0) {
      for (let o = 0; o < dyn.where.length; o++) {
        if (dyn.where[o] === r) add(`take ${world.objects[o]!.name} from ${rec.name}`, { verb: 'take', o, r });
      }
    }
    if (held >= 0) {
      if (accessible && idx.holds[r]) add(`move ${heldName} to ${rec.name}`, { verb: 'move', o: held, r });
      const info = objectInfo(world.objects[held]!.type);
      if (rec.type === 'sinkbasin' && info.clean) add(`clean ${heldName} with ${rec.name}`, { verb: 'clean', o: held, r });
      if (rec.type === 'microwave' && info.heat) add(`heat ${heldName} with ${rec.name}`, { verb: 'heat', o: held, r });
      if (rec.type === 'fridge' && info.cool) add(`cool ${heldName} with ${rec.name}`, { verb: 'cool', o: held, r });
    }
    for (const l of idx.lampsAt[r]!) add(`use ${world.lamps[l]!.name}`, { verb: 'use', l });
    add(`examine ${rec.name}`, { verb: 'examine', r });
  }
  if (held >= 0) add(`examine ${heldName}`, { verb: 'examine-object', o: held });
  add('inventory', { verb: 'inventory' });
  add('look', { verb: 'look' });
  add('help', { verb: 'help' });
  return { texts, commands };
}
