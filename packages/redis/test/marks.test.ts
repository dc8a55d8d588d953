import { describe } from 'vitest';
import { markMergeSuite } from './helpers/mark-merge.js';

const REDIS_URL = process.env.REDIS_URL;

describe.skipIf(!REDIS_URL)('tag marks merge in Redis (one Redis)', () => {
  markMergeSuite(() => ({ url: REDIS_URL as string }));
});
