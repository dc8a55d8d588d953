/** Why a value left a {@link GroupedLru}; `set` (replaced by a new value) is not a drop. */
export type DropReason = 'evict' | 'expire' | 'delete';

/** The instants an entry is kept with, beside its value (the cache's `Entry` without the value). */
export interface EntryInstants {
  createdAt: number;
  freshUntil: number;
  staleUntil: number;
  staleIfErrorUntil: number;
  tags: readonly string[];
}

/** Bounds and hooks of a {@link GroupedLru}. */
export interface GroupedLruOptions {
  maxEntries: number;
  maxSize: number;
  now: () => number;
  /** Called with the full key of every value dropped (not replaced), as `read` gives it. */
  onDrop: (key: string, value: unknown, reason: DropReason) => void;
  /** What `get` answers for a value kept with its instants (`setEntry`): the cache's entry object. */
  restore: (value: unknown, instants: EntryInstants) => unknown;
}

/**
 * Where one key's value is kept ({@link GroupedLru.slotOf}): read again by {@link GroupedLru.freshAt}
 * without a map probe. `group` and `part` are the LRU's own strings for the key, compared by identity.
 */
export interface SlotRef {
  readonly slot: number;
  readonly group: string;
  readonly part: string;
}

/** What {@link GroupedLru.fresh} answers when there is no fresh value: absent, expired or stale. */
export const NOT_FRESH: unique symbol = Symbol('not fresh');

/** First slots allocated; the arrays double up to `maxEntries`. */
const INITIAL_SLOTS = 1_024;
const NONE = 0xffffffff;
const NO_TAGS: readonly string[] = Object.freeze([]);

/**
 * A slot's numbers, side by side in one `Float64Array` (one cache line for the hot ones): when
 * the value is gone (`now >= expires`, Infinity for never), the entry's instants (NaN `createdAt`
 * for a value kept without them) and the size counted for it. Typed arrays keep epoch
 * milliseconds unboxed; an entry object would box each in a 16-byte heap number.
 */
const EXPIRES = 0;
const FRESH = 1;
const CREATED = 2;
const STALE = 3;
const IF_ERROR = 4;
const SIZE = 5;
const STRIDE = 6;

/**
 * An LRU bounded by count and by size, whose keys are looked up in two parts: a group (the
 * part of a store key before and including `/k:`: one namespace at one version) and the rest.
 * A namespace's reads then probe one map by the caller's own key string, without building the
 * store key; lru-cache's layout otherwise (slot indexes into typed arrays, no object per entry).
 * A cache entry is kept unpacked: its value in the value array, its instants in the slot's
 * numbers, so that a fresh hit ({@link GroupedLru.fresh}) reads no object but the key's.
 */
export class GroupedLru {
  readonly #groups = new Map<string, Map<string, number>>();
  /** Each group's name as first kept: every slot of a group holds this one string (see `freshAt`). */
  readonly #groupNames = new Map<string, string>();
  /** The group read last and its map: a cache's reads nearly all fall in one namespace. */
  #lastGroup: string | undefined;
  #lastParts: Map<string, number> | undefined;
  readonly #options: GroupedLruOptions;
  #parts: string[] = [];
  #groupOf: string[] = [];
  #values: unknown[] = [];
  #tags: (readonly string[])[] = [];
  #next = new Uint32Array(0);
  #prev = new Uint32Array(0);
  #numbers = new Float64Array(0);
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

  /**
   * The value under `group` + `part` when it was kept with its instants and is fresh at `now`,
   * else {@link NOT_FRESH}; a hit becomes the most recent. The memory tier's hot path.
   */
  fresh(group: string, part: string, now: number): unknown {
    const slot = this.#partsOf(group)?.get(part);
    return slot === undefined ? NOT_FRESH : this.#freshSlot(slot, now);
  }

  /** Where the value under `group` + `part` is kept, for {@link GroupedLru.freshAt}; undefined when absent. */
  slotOf(group: string, part: string): SlotRef | undefined {
    const slot = this.#partsOf(group)?.get(part);
    if (slot === undefined) return undefined;
    return { slot, group: this.#groupOf[slot] as string, part: this.#parts[slot] as string };
  }

  /**
   * {@link GroupedLru.fresh} by a slot from `slotOf`, without the map probe: {@link NOT_FRESH} too
   * when the slot no longer holds that key (dropped, or given to another key). A kept key keeps
   * its slot and its strings until it is dropped, so the two identity checks are enough.
   */
  freshAt(ref: SlotRef, now: number): unknown {
    const slot = ref.slot;
    if (this.#parts[slot] !== ref.part || this.#groupOf[slot] !== ref.group) return NOT_FRESH;
    return this.#freshSlot(slot, now);
  }

  /** The slot's value when it was kept with its instants and is fresh at `now`, made the most recent; else {@link NOT_FRESH}. */
  #freshSlot(slot: number, now: number): unknown {
    const at = slot * STRIDE;
    const numbers = this.#numbers;
    // NaN (a value kept without instants) fails the comparison too
    if (!(now < (numbers[at + FRESH] as number) && now < (numbers[at + EXPIRES] as number))) return NOT_FRESH;
    if (slot !== this.#tail) this.#moveToTail(slot);
    return this.#values[slot];
  }

  /**
   * What is under `group` + `part` (a value kept with instants comes back as `restore` makes it),
   * or undefined (absent or expired); a hit becomes the most recent.
   */
  get(group: string, part: string): unknown {
    const slot = this.#groups.get(group)?.get(part);
    if (slot === undefined) return undefined;
    if (this.#options.now() >= (this.#numbers[slot * STRIDE + EXPIRES] as number)) {
      this.#remove(slot, 'expire');
      return undefined;
    }
    if (slot !== this.#tail) this.#moveToTail(slot);
    return this.#read(slot);
  }

  /** Keeps `value` until `expires` (Infinity: no expiry), counted as `size`; evicts the least recent to make room. */
  set(group: string, part: string, value: unknown, expires: number, size: number): void {
    const slot = this.#place(group, part, size);
    if (slot === NONE) return;
    this.#values[slot] = value;
    this.#tags[slot] = NO_TAGS;
    const at = slot * STRIDE;
    this.#numbers.fill(Number.NaN, at + FRESH, at + SIZE);
    this.#numbers[at + EXPIRES] = expires;
    this.#evictOver(slot);
  }

  /** Keeps an entry's value with its instants (see {@link GroupedLru.fresh}); as `set` otherwise. */
  setEntry(group: string, part: string, value: unknown, instants: EntryInstants, expires: number, size: number): void {
    const slot = this.#place(group, part, size);
    if (slot === NONE) return;
    this.#values[slot] = value;
    this.#tags[slot] = instants.tags.length === 0 ? NO_TAGS : instants.tags;
    const at = slot * STRIDE;
    const numbers = this.#numbers;
    numbers[at + EXPIRES] = expires;
    numbers[at + FRESH] = instants.freshUntil;
    numbers[at + CREATED] = instants.createdAt;
    numbers[at + STALE] = instants.staleUntil;
    numbers[at + IF_ERROR] = instants.staleIfErrorUntil;
    this.#evictOver(slot);
  }

  /** Moves the fresh deadline of the entry under `group` + `part` back to `at` if it is later; false if absent. */
  freshOnlyUntil(group: string, part: string, at: number): boolean {
    const slot = this.#groups.get(group)?.get(part);
    if (slot === undefined) return false;
    const index = slot * STRIDE + FRESH;
    if ((this.#numbers[index] as number) > at) this.#numbers[index] = at;
    return true;
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

  /**
   * The slot for `group` + `part` with `size` counted and made the most recent (an existing one
   * or a new one, evicting by count), or NONE when a value this large is not kept at all.
   */
  #place(group: string, part: string, size: number): number {
    let parts = this.#groups.get(group);
    const existing = parts?.get(part);
    if (size > this.#options.maxSize) {
      // a value larger than the whole budget is not kept, rather than emptying the cache
      if (existing !== undefined) this.#remove(existing, 'delete');
      return NONE;
    }
    if (existing !== undefined) {
      const at = existing * STRIDE + SIZE;
      this.#size += size - (this.#numbers[at] as number);
      this.#numbers[at] = size;
      if (existing !== this.#tail) this.#moveToTail(existing);
      return existing;
    }
    if (this.#count >= this.#options.maxEntries) this.#remove(this.#head, 'evict');
    if (!parts) {
      parts = new Map();
      this.#groups.set(group, parts);
      this.#groupNames.set(group, group);
    }
    const slot = this.#allocate();
    parts.set(part, slot);
    this.#parts[slot] = part;
    this.#groupOf[slot] = this.#groupNames.get(group) as string;
    this.#numbers[slot * STRIDE + SIZE] = size;
    this.#size += size;
    this.#count++;
    this.#link(slot);
    return slot;
  }

  #partsOf(group: string): Map<string, number> | undefined {
    if (group === this.#lastGroup) return this.#lastParts;
    const parts = this.#groups.get(group);
    if (parts !== undefined) {
      this.#lastGroup = group;
      this.#lastParts = parts;
    }
    return parts;
  }

  /** The slot's value as `get` answers it. */
  #read(slot: number): unknown {
    const at = slot * STRIDE;
    const numbers = this.#numbers;
    const createdAt = numbers[at + CREATED] as number;
    if (Number.isNaN(createdAt)) return this.#values[slot];
    return this.#options.restore(this.#values[slot], {
      createdAt,
      freshUntil: numbers[at + FRESH] as number,
      staleUntil: numbers[at + STALE] as number,
      staleIfErrorUntil: numbers[at + IF_ERROR] as number,
      tags: this.#tags[slot] as readonly string[],
    });
  }

  #remove(slot: number, reason: DropReason): void {
    const group = this.#groupOf[slot] as string;
    const part = this.#parts[slot] as string;
    const value = this.#read(slot);
    const parts = this.#groups.get(group);
    parts?.delete(part);
    if (parts?.size === 0) {
      this.#groups.delete(group);
      this.#groupNames.delete(group);
      if (group === this.#lastGroup) this.#lastGroup = this.#lastParts = undefined;
    }
    this.#unlink(slot);
    this.#size -= this.#numbers[slot * STRIDE + SIZE] as number;
    this.#count--;
    this.#values[slot] = undefined;
    this.#tags[slot] = NO_TAGS;
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
    this.#numbers = grown(this.#numbers, (n) => new Float64Array(n * STRIDE));
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
