import { ErrorCode, InvalidOptionError } from '@cachette/core';
import type { ClassLike } from './method-info.js';

/**
 * Default keys start with the class name (`Repository.find:[1]`), so that they are equal in
 * every process that runs the same code — a shared tier needs that. Two different classes with
 * one name (two modules each with a `Repository`, or minified code where many classes are `a`)
 * would then answer with each other's entries. No process can see the classes of another, but
 * each can see its own: the first class to use a name in a namespace holds it, and a second,
 * different class that claims it is refused with `E_NAME_CLASH`, naming the fix. Held weakly, so
 * a class that is gone frees its name.
 */
const holders = new Map<string, WeakRef<ClassLike>>();

/** Claims `cls`'s name for default keys in `namespace`; throws `E_NAME_CLASH` if another class holds it. */
export function claimClassName(cls: ClassLike, namespace: string | undefined, decorator: string): void {
  const name = cls.name;
  const slot = `${namespace ?? ''}\u0000${name}`;
  const holder = holders.get(slot)?.deref();
  if (holder === cls) return;
  if (holder === undefined) {
    holders.set(slot, new WeakRef(cls));
    return;
  }
  const shown = name === '' ? 'an anonymous class' : name;
  throw new InvalidOptionError(
    ErrorCode.NameClash,
    `[cachette:decorators] ${decorator}: two different classes named ${name === '' ? '""' : name} use default keys ` +
      `(${shown}.method:[args])${namespace === undefined ? '' : ` in namespace ${JSON.stringify(namespace)}`}, so one would answer ` +
      `with the other's entries. Give each its own namespace (${decorator}({ namespace: 'orders' })) or a key function.`,
  );
}
