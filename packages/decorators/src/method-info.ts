/** Any method, as the decorators see it. */
export type AnyMethod = (this: unknown, ...args: unknown[]) => unknown;

/** A class, as the decorators see it. */
export type ClassLike = abstract new (...args: never[]) => unknown;

/** The decorated method, as known when the decorator is applied. */
export interface MethodInfo {
  /** The method's name, `[description]` for a symbol. */
  readonly name: string;
  /** True when the method is `async`, or declares a Promise return type (decorator metadata). */
  readonly declaredAsync: boolean;
  /**
   * The class that declares the method. Legacy decorators know it when they decorate; standard
   * decorators learn it when the first instance is made (for a static method, at once).
   */
  declaring(thisArg: unknown): ClassLike | undefined;
  /**
   * Runs `check` with the declaring class as soon as it is known; a throw refuses the class
   * (when it is decorated, or when its first instance is made or the method first called).
   */
  onDeclared(check: (declaring: ClassLike) => void): void;
  /**
   * `UserService.load`; when `this` is an instance of a subclass that inherits or overrides the
   * method, `Admin>UserService.load`: the class of `this`, then the class that declares it.
   */
  label(thisArg: unknown): string;
}

/** What one decoration knows about its method; the declaring class is settled once. */
export class Method implements MethodInfo {
  readonly name: string;
  readonly declaredAsync: boolean;
  /** The replacement, for standard decorators: found on the prototype chain to learn the declaring class. */
  wrapper: AnyMethod | undefined;
  readonly #property: string | symbol;
  readonly #checks: Array<(declaring: ClassLike) => void> = [];
  readonly #labels = new WeakMap<object, string>();
  #declaring: ClassLike | undefined;

  constructor(name: string, property: string | symbol, original: AnyMethod, returnsPromise: boolean) {
    this.name = name;
    this.#property = property;
    this.declaredAsync = returnsPromise || (original as { [Symbol.toStringTag]?: string })[Symbol.toStringTag] === 'AsyncFunction';
  }

  onDeclared(check: (declaring: ClassLike) => void): void {
    if (this.#declaring) check(this.#declaring);
    else this.#checks.push(check);
  }

  /** Records the declaring class once every check accepts it; a check that throws leaves it unsettled. */
  settle(declaring: ClassLike): void {
    if (this.#declaring) return;
    for (const check of this.#checks) check(declaring);
    this.#declaring = declaring;
  }

  declaring(thisArg: unknown): ClassLike | undefined {
    if (!this.#declaring && this.wrapper) {
      const found = holderOf(thisArg, this.#property, this.wrapper);
      if (found) this.settle(found);
    }
    return this.#declaring;
  }

  label(thisArg: unknown): string {
    const own = classOf(thisArg);
    const memo = own ? this.#labels.get(own) : undefined;
    if (memo !== undefined) return memo;
    const declaring = this.declaring(thisArg);
    const declared = declaring?.name || (own?.name ?? '') || 'anonymous';
    const label =
      own === undefined || declaring === undefined || own === declaring
        ? `${declared}.${this.name}`
        : `${own.name || 'anonymous'}>${declared}.${this.name}`;
    if (own) this.#labels.set(own, label);
    return label;
  }
}

/** The class of `this`: the class itself for a static method, else the instance's constructor. */
export function classOf(thisArg: unknown): ClassLike | undefined {
  if (typeof thisArg === 'function') return thisArg as ClassLike;
  if (typeof thisArg === 'object' && thisArg !== null) return thisArg.constructor as ClassLike | undefined;
  return undefined;
}

/** The class on `thisArg`'s prototype chain whose own `property` is `wrapper`. */
function holderOf(thisArg: unknown, property: string | symbol, wrapper: AnyMethod): ClassLike | undefined {
  let holder: unknown = thisArg;
  while (holder !== null && (typeof holder === 'object' || typeof holder === 'function')) {
    if (Object.getOwnPropertyDescriptor(holder, property)?.value === wrapper) {
      return (typeof holder === 'function' ? holder : (holder as object).constructor) as ClassLike;
    }
    holder = Object.getPrototypeOf(holder);
  }
  return undefined;
}
