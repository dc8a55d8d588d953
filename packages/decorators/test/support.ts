import ts from 'typescript';

/** A promise and the functions that settle it, to hold a method open while callers pile up. */
export function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Lets pending promise callbacks run. */
export const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A context as TypeScript 5 passes it to a method decorator (`experimentalDecorators` off). */
// biome-ignore lint/suspicious/noExplicitAny: the constraint of lib.decorators' ClassMethodDecoratorContext
export function methodContext<This, M extends (this: This, ...args: any) => any>(
  name: string,
  isStatic = false,
): ClassMethodDecoratorContext<This, M> {
  return {
    kind: 'method',
    name,
    static: isStatic,
    private: false,
    access: { has: (object) => name in (object as object), get: (object) => (object as Record<string, M>)[name] as M },
    addInitializer() {},
    metadata: {},
  };
}

/**
 * Compiles a class with TypeScript's own standard-decorator transform and runs it, with the
 * decorators passed in (SWC in the vitest config compiles the legacy form).
 */
export function compileStandard<T>(source: string, scope: Record<string, unknown>): T {
  const { outputText } = ts.transpileModule(source, {
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, experimentalDecorators: false },
  });
  const names = Object.keys(scope);
  return new Function(...names, `${outputText}\nreturn make();`)(...names.map((n) => scope[n])) as T;
}
