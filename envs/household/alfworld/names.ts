/**
 * ALFWorld's display names for PDDL entities: `Mug_bar__plus_01_dot_2_bar_...` → `mug 2`. As
 * ALFWorld's demangler does: the entity ids are sorted; each name (the part before the first
 * `_bar_`, plus "basin" for basin ids) numbers its instances, and the instances take the numbers
 * from the highest down in sorted-id order (the first sorted id of three mugs is `mug 3`). Here the
 * name comes from the entity's declared type (`MugType` → `mug`), which the ids agree with.
 * @module
 */

/** `MugType` → `mug`, `SinkBasinType` → `sinkbasin`. */
export function typeName(pddlType: string): string {
  return pddlType.replace(/Type$/, '').toLowerCase();
}

/** Display names for entities of known type: id → `<type> <n>`. */
export function displayNames(typeOf: ReadonlyMap<string, string>): Map<string, string> {
  const ids = [...typeOf.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const count = new Map<string, number>();
  for (const id of ids) count.set(typeOf.get(id)!, (count.get(typeOf.get(id)!) ?? 0) + 1);
  const names = new Map<string, string>();
  for (const id of ids) {
    const t = typeOf.get(id)!;
    const n = count.get(t)!;
    names.set(id, `${t} ${n}`);
    count.set(t, n - 1);
  }
  return names;
}
