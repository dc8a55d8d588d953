import Koa2 from 'koa2';
import pkg from 'koa2/package.json' with { type: 'json' };
import { expect, it } from 'vitest';
import { koaConformance } from './apps/koa-app.js';

it('runs on Koa 2', () => {
  expect(pkg.version).toMatch(/^2\./);
});
koaConformance(`koa ${pkg.version}`, Koa2);
