import 'reflect-metadata';
import { CachePage } from '@cachette/nest';
import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { afterEach, describe, expect, it, vi } from 'vitest';

/** What docs/guide/nest.md and docs/start/nest.md say Nest does with a start-up error from cachette. */

@Controller('p')
class PageController {
  @Get()
  @CachePage('1m')
  page() {
    return { ok: true };
  }
}

@Module({ controllers: [PageController] }) // no CachetteModule: an error while the modules are built
class WithoutCachette {}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('a start-up error under abortOnError', () => {
  it('default (true): NestFactory.create logs the error and calls process.exit(1)', async () => {
    // process.exit would end the test run: record the call instead (what Nest does after it does not matter here)
    const exit = vi.spyOn(process, 'exit').mockImplementation((() => undefined) as typeof process.exit);
    vi.spyOn(process, 'abort').mockImplementation(() => undefined as never);
    await NestFactory.create(WithoutCachette, { logger: false }).then(
      (app) => app.close(),
      () => undefined,
    );
    expect(exit).toHaveBeenCalledWith(1);
  });

  it('abortOnError: false: NestFactory.create rejects with the cachette error', async () => {
    const exit = vi.spyOn(process, 'exit');
    await expect(NestFactory.create(WithoutCachette, { logger: false, abortOnError: false })).rejects.toMatchObject({
      code: 'E_INVALID_OPTION',
      message: expect.stringContaining('CachetteModule.forRoot'),
    });
    expect(exit).not.toHaveBeenCalled();
  });
});
