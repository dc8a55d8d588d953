import { type AnyMethod, type ClassLike, Method, type MethodInfo } from './method-info.js';
import { invalidOption } from './options.js';

export type { AnyMethod, MethodInfo } from './method-info.js';

/**
 * A compile error, shown as a missing property, when the key/tags/condition functions take
 * other parameters than the decorated method.
 */
type Fits<Args extends unknown[], M> = M extends (...args: infer P) => unknown
  ? ((...args: Args) => unknown) extends (...args: P) => unknown
    ? unknown
    : { 'cachette: key, tags or condition take other parameters than the method': P }
  : never;

/**
 * What `@Cacheable(…)`, `@CacheEvict(…)` and `@CachePut(…)` return: a method decorator for
 * `experimentalDecorators` (`(target, propertyKey, descriptor)`) and for TypeScript 5 standard
 * decorators (`(method, context)`). `Args` are the parameters of the option functions; they must
 * accept the decorated method's arguments, or the decoration does not compile.
 *
 * @example
 * ```ts
 * class Users {
 *   @Cacheable({ key: (id: number) => `user:${id}` }) // ok
 *   async load(id: number) {}
 *   // @ts-expect-error: key takes a string, the method a number
 *   @Cacheable({ key: (id: string) => `user:${id}` })
 *   async find(id: number) {}
 * }
 * ```
 */
export interface CacheDecorator<Args extends unknown[]> {
  <M extends (...args: never[]) => unknown>(
    target: object,
    propertyKey: string | symbol,
    descriptor: TypedPropertyDescriptor<M> & Fits<Args, M>,
  ): TypedPropertyDescriptor<M>;
  // biome-ignore lint/suspicious/noExplicitAny: lib.decorators constrains the method as `(this: This, ...args: any) => any`
  <This, M extends (this: This, ...args: any) => unknown>(value: M, context: ClassMethodDecoratorContext<This, M> & Fits<Args, M>): M;
}

/** Builds the replacement of `original`; each decorator's logic, once for both forms. */
export type Wrap = (original: AnyMethod, method: MethodInfo) => AnyMethod;

/**
 * One decorator function for both decorator forms, told apart by their arguments: a string or
 * symbol second argument is the legacy form, a context object with `kind` the standard one.
 */
export function methodDecorator<Args extends unknown[]>(decorator: string, wrap: Wrap): CacheDecorator<Args> {
  return ((...params: unknown[]) => {
    const [first, second, third] = params;
    if (typeof second === 'string' || typeof second === 'symbol') {
      const descriptor = third as PropertyDescriptor | undefined;
      const declaring = (typeof first === 'function' ? first : (first as object | undefined)?.constructor) as ClassLike | undefined;
      const name = nameOf(second);
      if (typeof descriptor?.value !== 'function')
        throw notAMethod(decorator, `${declaring?.name ?? '?'}.${name}`, kindOf(descriptor, third));
      const returnType = getMetadata('design:returntype', first as object, second);
      const method = new Method(name, second, descriptor.value, returnType === Promise);
      const wrapper = replace(descriptor.value, wrap(descriptor.value, method));
      if (declaring) method.settle(declaring);
      return { ...descriptor, value: wrapper };
    }
    const context = second as Partial<DecoratorContext> | undefined;
    if (typeof context === 'object' && context !== null && typeof context.kind === 'string') {
      const name = nameOf(context.name ?? '?');
      if (context.kind !== 'method' || typeof first !== 'function') throw notAMethod(decorator, name, withArticle(context.kind));
      const method = new Method(name, context.name as string | symbol, first as AnyMethod, false);
      const wrapper = replace(first as AnyMethod, wrap(first as AnyMethod, method));
      method.wrapper = wrapper;
      // runs when the first instance is made (at once for a static method): the class is known then
      context.addInitializer?.(function (this: unknown) {
        method.declaring(this);
      });
      return wrapper;
    }
    throw notAMethod(decorator, typeof first === 'function' ? first.name : '?', params.length === 1 ? 'a class' : 'not a method');
  }) as CacheDecorator<Args>;
}

/**
 * The wrapper keeps the method's name and length, and any Reflect metadata set by decorators
 * applied before (Nest's route decorators).
 */
function replace(original: AnyMethod, wrapper: AnyMethod): AnyMethod {
  Object.defineProperty(wrapper, 'name', { value: original.name, configurable: true });
  Object.defineProperty(wrapper, 'length', { value: original.length, configurable: true });
  const reflect = Reflect as unknown as ReflectMetadata;
  if (typeof reflect.getOwnMetadataKeys === 'function') {
    for (const key of reflect.getOwnMetadataKeys(original)) reflect.defineMetadata(key, reflect.getOwnMetadata(key, original), wrapper);
  }
  return wrapper;
}

function getMetadata(key: string, target: object, property: string | symbol): unknown {
  const reflect = Reflect as unknown as Partial<ReflectMetadata>;
  return typeof reflect.getMetadata === 'function' ? reflect.getMetadata(key, target, property) : undefined;
}

interface ReflectMetadata {
  getMetadata(key: unknown, target: object, property?: string | symbol): unknown;
  getOwnMetadata(key: unknown, target: object): unknown;
  getOwnMetadataKeys(target: object): unknown[];
  defineMetadata(key: unknown, value: unknown, target: object): void;
}

function nameOf(name: string | symbol): string {
  return typeof name === 'symbol' ? `[${name.description ?? ''}]` : name;
}

function kindOf(descriptor: PropertyDescriptor | undefined, third: unknown): string {
  if (typeof third === 'number') return 'a parameter';
  if (descriptor?.get || descriptor?.set) return 'an accessor';
  return 'a property';
}

function withArticle(kind: string): string {
  return `${/^[aeiou]/.test(kind) ? 'an' : 'a'} ${kind}`;
}

function notAMethod(decorator: string, where: string, what: string) {
  return invalidOption(`${decorator} decorates methods only; ${where} is ${what}`);
}

/** True for a promise or any other thenable a method may return. */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as PromiseLike<unknown>).then === 'function'
  );
}

/**
 * Handles a rejection nobody waits for: a background write of a sync method (the cache has
 * already reported a store failure through its `error` event), or a dropped duplicate load.
 */
export function ignore(): void {}
