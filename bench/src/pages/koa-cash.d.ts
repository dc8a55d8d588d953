// koa-cash 5.0.2 ships no types: what the bench uses of it.
declare module 'koa-cash' {
  import type { Middleware } from 'koa';

  interface KoaCashOptions {
    get(key: string, maxAge: number): Promise<unknown>;
    set(key: string, value: unknown, maxAge: number): Promise<unknown> | unknown;
    maxAge?: number;
    setCachedHeader?: boolean;
    compression?: boolean;
  }
  export default function koaCash(options: KoaCashOptions): Middleware;
}
