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
  const out: Admissible = { texts: [], commands: [] };

  for (let r = 0; r < world.receptacles.length; r++) if (r !== dyn.location) add(out, idx.goTo[r]!, { verb: 'go', r });

  const r = dyn.location;
  const held = dyn.holding;
  const heldName = held >= 0 ? world.objects[held]!.name : '';
  if (r >= 0) {
    const rec = world.receptacles[r]!;
    if (idx.openable[r]) {
      if (dyn.open[r]) add(out, `close ${rec.name}`, { verb: 'close', r });
      else add(out, `open ${rec.name}`, { verb: 'open', r });
    }
    const accessible = isAccessible(state, r);
    if (accessible && held < 0) {
      for (let o = 0; o < dyn.where.length; o++) {
        if (dyn.where[o] === r) add(out, `take ${world.objects[o]!.name} from ${rec.name}`, { verb: 'take', o, r });
      }
    }
    if (held >= 0) {
      if (accessible && idx.holds[r]) add(out, `move ${heldName} to ${rec.name}`, { verb: 'move', o: held, r });
      const info = objectInfo(world.objects[held]!.type);
      if (rec.type === 'sinkbasin' && info.clean) add(out, `clean ${heldName} with ${rec.name}`, { verb: 'clean', o: held, r });
      if (rec.type === 'microwave' && info.heat) add(out, `heat ${heldName} with ${rec.name}`, { verb: 'heat', o: held, r });
      if (rec.type === 'fridge' && info.cool) add(out, `cool ${heldName} with ${rec.name}`, { verb: 'cool', o: held, r });
    }
    for (const l of idx.lampsAt[r]!) add(out, `use ${world.lamps[l]!.name}`, { verb: 'use', l });
    add(out, `examine ${rec.name}`, { verb: 'examine', r });
  }
  if (held >= 0) add(out, `examine ${heldName}`, { verb: 'examine-object', o: held });
  add(out, 'inventory', { verb: 'inventory' });
  add(out, 'look', { verb: 'look' });
  add(out, 'help', { verb: 'help' });
  return out;
}

/** Appends one admissible command (a module-level helper, not a closure: this runs on every step). */
function add(out: Admissible, text: string, command: Command): void {
  out.texts.push(text);
  out.commands.push(command);
}
