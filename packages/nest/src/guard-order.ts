import { GUARDS_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import type { DiscoveryService, MetadataScanner } from '@nestjs/core';
import { CachePageGuard } from './cache-page.guard.js';
import { CACHE_PAGE_METADATA } from './metadata.js';

/**
 * Moves `@CachePage`'s guard after every other guard of each of its routes, whatever the order
 * the decorators were written in (`@UseGuards` above `@CachePage` lists its guards after it; on a
 * controller, `@CachePage`'s guard would run before the handlers' own guards). Runs when the app
 * is built, before Nest reads the guards of its routes; running it again changes nothing.
 */
export function placePageGuardsLast(discovery: DiscoveryService, scanner: MetadataScanner): void {
  for (const wrapper of discovery.getControllers()) {
    const controller = wrapper.metatype as (abstract new (...args: never[]) => unknown) | null | undefined;
    if (typeof controller !== 'function') continue;
    const onController = guardsOf(controller);
    if (onController.includes(CachePageGuard)) Reflect.defineMetadata(GUARDS_METADATA, without(onController), controller);
    const cachedController = Reflect.getMetadata(CACHE_PAGE_METADATA, controller) !== undefined;
    const prototype = controller.prototype as Record<string, unknown>;
    for (const name of scanner.getAllMethodNames(prototype)) {
      const handler = prototype[name];
      if (typeof handler !== 'function' || Reflect.getMetadata(PATH_METADATA, handler) === undefined) continue;
      if (!cachedController && Reflect.getMetadata(CACHE_PAGE_METADATA, handler) === undefined) continue;
      const others = without(guardsOf(handler));
      Reflect.defineMetadata(GUARDS_METADATA, [...others, CachePageGuard], handler);
    }
  }
}

function guardsOf(target: object): readonly unknown[] {
  return (Reflect.getMetadata(GUARDS_METADATA, target) as unknown[] | undefined) ?? [];
}

function without(guards: readonly unknown[]): unknown[] {
  return guards.filter((guard) => guard !== CachePageGuard);
}
