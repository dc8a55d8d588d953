import 'reflect-metadata';
import { createCache } from '@cachette/core';
import { Controller, type ExecutionContext, Get } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { describe, expect, it } from 'vitest';
import { CachePage } from '../src/index.js';
import { routeOf } from '../src/route.js';

@Controller()
class Pages {
  @Get('a')
  @CachePage('1m')
  a() {
    return 'a';
  }
}

class MorePages extends Pages {}

const contextOf = (controller: object, handler: object) =>
  ({ getHandler: () => handler, getClass: () => controller }) as unknown as ExecutionContext;

describe('routeOf: one page cache per route, shared by the page guard and interceptor (issue 7)', () => {
  it('gives the guard and the interceptor (each with its own sources) the same route and page cache', () => {
    const cache = createCache();
    const guard = { reflector: new Reflector(), cache, options: undefined };
    const interceptor = { reflector: new Reflector(), cache, options: undefined };
    const first = routeOf(guard, contextOf(Pages, Pages.prototype.a));
    const second = routeOf(interceptor, contextOf(Pages, Pages.prototype.a));
    expect(first.page).toBeDefined();
    expect(second).toBe(first);
  });

  it('keeps apart what may differ: another cache (another app), other module options, another controller', () => {
    const cache = createCache();
    const sources = { reflector: new Reflector(), cache, options: undefined };
    const route = routeOf(sources, contextOf(Pages, Pages.prototype.a));
    expect(routeOf({ ...sources, cache: createCache() }, contextOf(Pages, Pages.prototype.a))).not.toBe(route);
    expect(routeOf({ ...sources, options: {} }, contextOf(Pages, Pages.prototype.a))).not.toBe(route);
    // an inherited handler is the same function under another controller (its own metadata)
    expect(routeOf(sources, contextOf(MorePages, Pages.prototype.a))).not.toBe(route);
  });
});
