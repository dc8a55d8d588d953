import core from '@nestjs/core/package.json' with { type: 'json' };
import { expect, it } from 'vitest';
import { nestConformance } from '../../adapters/apps/nest-app.js';

it('runs on Nest 10', () => {
  expect(core.version).toMatch(/^10\./);
});
nestConformance(`nest ${core.version}`);
