import core from '@nestjs/core/package.json' with { type: 'json' };
import { expect, it } from 'vitest';
import { nestConformance } from '../../adapters/apps/nest-app.js';

it('runs on Nest 12', () => {
  expect(core.version).toMatch(/^12\./);
});
nestConformance(`nest ${core.version}`);
