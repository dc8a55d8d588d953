import { InvalidOptionError } from '@cachette/core';
import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA } from '@nestjs/common/constants.js';
import type { DiscoveryService, MetadataScanner } from '@nestjs/core';
import { CACHE_PAGE_METADATA } from './metadata.js';

/**
 * Throws at start-up when `@CachePage` sits on a handler that does not answer GET: only GET
 * (and HEAD, served from it) responses are cached, so the decorator would silently do nothing.
 */
export function assertGetHandlers(discovery: DiscoveryService, scanner: MetadataScanner): void {
  for (const wrapper of discovery.getControllers()) {
    const instance = wrapper.instance as Record<string, unknown> | undefined;
    if (!instance) continue;
    const prototype = Object.getPrototypeOf(instance) as object;
    for (const name of scanner.getAllMethodNames(prototype)) {
      const handler = (prototype as Record<string, unknown>)[name] as object;
      if (Reflect.getMetadata(CACHE_PAGE_METADATA, handler) === undefined) continue;
      const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
      if (method !== undefined && method !== RequestMethod.GET && method !== RequestMethod.ALL) {
        const verb = RequestMethod[method];
        throw new InvalidOptionError(
          'E_INVALID_OPTION',
          `[cachette:nest] @CachePage on ${wrapper.name}.${name}, a ${verb} handler: only GET responses are cached (unsafe methods invalidate instead); remove @CachePage or make it @Get`,
        );
      }
    }
  }
}
