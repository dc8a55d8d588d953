import express4 from 'express4';
import pkg from 'express4/package.json' with { type: 'json' };
import { expect, it } from 'vitest';
import { expressConformance } from './apps/express-app.js';

it('runs on Express 4', () => {
  expect(pkg.version).toMatch(/^4\./);
});
expressConformance(`express ${pkg.version}`, express4);
