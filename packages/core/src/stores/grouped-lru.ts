/** Why a value left a {@link GroupedLru}; `set` (replaced by a new value) is not a drop. */
export type DropReason = 'evict' | 'expire' | 'delete';

/** Bounds and hooks of a {@link GroupedLru}. */
export interface GroupedLruOptions {
  maxEntries: number;
  maxSize: number;
  now: () => number;
  /** Called with the full key of every value dropped (not replaced). */
  onDrop: (key: string, value: unknown, reason: DropReason) => void;
}

/** First slots allocated; the arrays double up to `maxEntries`. */
const INITIAL_SLOTS = 1_024;
const NONE = 0xffffffff;

/**
 * An LRU bounded by count and by size, whose keys are looked up in two parts: a group (the
 * part of a store key before and including `/k:`: one namespace at one version) and the rest.
 * A namespace's reads then probe one map by the caller's own key string, without building the
 * store key; lru-cache's layout otherwise (slot indexes into typed arrays, no object per entry).
 */
export class GroupedLru {
  readonly #groups = new Map<string, Map<string, number>>();
  readonly #options: GroupedLruOptions;
  #parts: string[] = [];
  #groupOf: string[] = [];
  #values: unknown[] = [];
  #next = new Uint32Array(0);
  #prev = new Uint32Array(0);
  /** The instant a slot's value is gone (`now >= expires`); 0 for never. */
  #expires = new Float64Array(0);
  #sizes = new Float64Array(0);
  #head = NONE;
  #tail = NONE;
  #free: number[] = [];
  #used = 0;
  #count = 0;
  #size = 0;

  constructor(options: GroupedLruOptions) {
    this.#options = options;
    this.#grow(Math.min(INITIAL_SLOTS, options.maxEntries));
  }

  get count(): number {
    return this.#count;
  }

  get size(): number {
    return this.#size;
  }

  /** The value under `group` + `part`, or undefined (absent or expired); a hit becomes the most recent. */
  get(group: string, part: string): unknown {
    const slot = this.#groups.get(group)?.get(part);
    if (slot === undefined) return undefined;
    const expires = this.#expires[slot] as number;
    if (expires !== 0 && this.#options.now() >= expires) {
      this.#remove(slot, 'expire');
      return undefined;
    }
    if (slot !== this.#tail) this.#moveToTail(slot);
    return this.#values[slot];
  }

  /** Keeps `value` until `expires` (0: no expiry), counted as `size`; evicts the least recent to make room. */
  set(group: string, part: string, value: unknown, expires: number, size: number): void {
    let parts = this.#groups.get(group);
    const existing = parts?.get(part);
    if (size > this.#options.maxSize) {
      // a value larger than the whole budget is not kept, rather than emptying the cache
      if (existing !== undefined) this.#remove(existing, 'delete');
      return;
    }
    if (existing !== undefined) {
      this.#size += size - (this.#sizes[existing] as number);
      this.#values[existing] = value;
      this.#expires[existing] = expires;
      this.#sizes[existing] = size;
      if (existing !== this.#tail) this.#moveToTail(existing);
      this.#evictOver(existing);
      return;
    }
    if (this.#count >= this.#options.maxEntries) this.#remove(this.#head, 'evict');
    if (!parts) {
      parts = new Map();
      this.#groups.set(group, parts);
    }
    const slot = this.#allocate();
    parts.set(part, slot);
    this.#parts[slot] = part;
    this.#groupOf[slot] = group;
    this.#values[slot] = value;
    this.#expires[slot] = expires;
    this.#sizes[slot] = size;
    this.#size += size;
    this.#count++;
    this.#link(slot);
    this.#evictOver(slot);
  }

  delete(group: string, part: string): boolean {
    const slot = this.#groups.get(group)?.get(part);
    if (slot === undefined) return false;
    this.#remove(slot, 'delete');
    return true;
  }

  /** Drops every value whose full key (group + part) passes `test`, by group where it can. */
  deleteWhere(prefix: string): void {
    for (const [group, parts] of [...this.#groups]) {
      const whole = group.startsWith(prefix);
      if (!whole && !prefix.startsWith(group)) continue;
      for (const [part, slot] of [...parts]) {
        if (whole || (group + part).startsWith(prefix)) this.#remove(slot, 'delete');
      }
    }
  }

  #remove(slot: number, reason: DropReason): void {
    const group = this.#groupOf[slot] as string;
    const part = this.#parts[slot] as string;
    const value = this.#values[slot];
    const parts = this.#groups.get(group);
    parts?.delete(part);
    if (parts?.size === 0) this.#groups.delete(group);
    this.#unlink(slot);
    this.#size -= this.#sizes[slot] as number;
    this.#count--;
    this.#values[slot] = undefined;
    this.#parts[slot] = '';
    this.#free.push(slot);
    this.#options.onDrop(group + part, value, reason);
  }

  /** Evicts the least recent values (never `keep`) while the total size is over budget. */
  #evictOver(keep: number): void {
    while (this.#size > this.#options.maxSize && this.#head !== NONE && this.#head !== keep) this.#remove(this.#head, 'evict');
  }

  #allocate(): number {
    const reused = this.#free.pop();
    if (reused !== undefined) return reused;
    if (this.#used === this.#next.length) this.#grow(Math.min(this.#options.maxEntries, this.#used * 2));
    return this.#used++;
  }

  #grow(slots: number): void {
    const grown = <A extends Uint32Array | Float64Array>(old: A, make: (n: number) => A): A => {
      const array = make(slots);
      array.set(old);
      return array;
    };
    this.#next = grown(this.#next, (n) => new Uint32Array(n));
    this.#prev = grown(this.#prev, (n) => new Uint32Array(n));
    this.#expires = grown(this.#expires, (n) => new Float64Array(n));
    this.#sizes = grown(this.#sizes, (n) => new Float64Array(n));
  }

  #link(slot: number): void {
    this.#prev[slot] = this.#tail;
    this.#next[slot] = NONE;
    if (this.#tail === NONE) this.#head = slot;
    else this.#next[this.#tail] = slot;
    this.#tail = slot;
  }

  #unlink(slot: number): void {
    const prev = this.#prev[slot] as number;
    const next = this.#next[slot] as number;
    if (prev === NONE) this.#head = next;
    else this.#next[prev] = next;
    if (next === NONE) this.#tail = prev;
    else this.#prev[next] = prev;
  }

  #moveToTail(slot: number): void {
    this.#unlink(slot);
    this.#link(slot);
  }
}
