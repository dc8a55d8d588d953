// Starts one app (`node <entry>` in its dir) and checks over HTTP: a miss, a hit, a Vary variant, a 304.
// Usage: node check.mjs <app-dir> <entry> [label]
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { request } from 'node:http';
import { createInterface } from 'node:readline';

const [dir, entry, label = dir] = process.argv.slice(2);
const app = spawn(process.execPath, [entry], { cwd: dir, env: { ...process.env, PORT: '0' }, stdio: ['ignore', 'pipe', 'inherit'] });
const failures = [];
const check = (what, ok, detail) => {
  if (!ok) failures.push(`${what}: ${detail}`);
};

try {
  const port = await listeningPort(app);
  const base = `http://127.0.0.1:${port}`;
  const get = (path, headers) => send(`${base}${path}`, headers);
  // pages are stored once their headers have gone out: wait on the cache's own counter
  const storedPages = async (n) => {
    for (let i = 0; i < 100; i++) {
      if (JSON.parse((await get('/stats')).text).sets >= n) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(`the cache never stored page ${n}`);
  };

  const miss = await get('/greeting', { 'accept-language': 'en' });
  check('miss', miss.status === 200 && miss.text === 'hello en #1' && !miss.headers.has('age'), `${miss.status} ${miss.text}`);
  await storedPages(1);
  const hit = await get('/greeting', { 'accept-language': 'en' });
  check(
    'hit',
    hit.status === 200 && hit.text === 'hello en #1' && /^\d+$/.test(hit.headers.get('age') ?? ''),
    `${hit.status} ${hit.text} age=${hit.headers.get('age')}`,
  );
  check('vary', /accept-language/i.test(hit.headers.get('vary') ?? ''), `vary=${hit.headers.get('vary')}`);
  const variant = await get('/greeting', { 'accept-language': 'fr' });
  check('variant', variant.status === 200 && variant.text === 'hello fr #2', `${variant.status} ${variant.text}`);
  await storedPages(2);
  const variantHit = await get('/greeting', { 'accept-language': 'fr' });
  check('variant hit', variantHit.text === 'hello fr #2' && variantHit.headers.has('age'), `${variantHit.text}`);
  const etag = hit.headers.get('etag');
  check('etag', etag !== null, 'no ETag on the hit');
  const notModified = await get('/greeting', { 'accept-language': 'en', 'if-none-match': etag ?? '' });
  check('304', notModified.status === 304 && notModified.text === '', `${notModified.status} ${notModified.text}`);
} catch (error) {
  failures.push(String(error));
} finally {
  app.kill();
}
if (failures.length > 0) {
  console.error(`${label}: FAIL\n  ${failures.join('\n  ')}`);
  process.exit(1);
}
console.log(`${label}: miss, hit, Vary variant and 304 OK`);

/** A GET with exactly these headers (fetch adds `Cache-Control: no-cache` to conditional requests). */
function send(url, headers = {}) {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers, agent: false }, (res) => {
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => resolve({ status: res.statusCode, headers: new Headers(res.headers), text: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    req.end();
  });
}

async function listeningPort(child) {
  const lines = createInterface({ input: child.stdout });
  const exited = once(child, 'exit').then(([code]) => {
    throw new Error(`the app exited (${code}) before listening`);
  });
  const listening = (async () => {
    for await (const line of lines) {
      const match = /^listening (\d+)$/.exec(line.trim());
      if (match) return Number(match[1]);
    }
    throw new Error('the app closed its output before listening');
  })();
  const timeout = new Promise((_, reject) => setTimeout(() => reject(new Error('the app did not listen within 20 s')), 20_000).unref());
  return Promise.race([listening, exited, timeout]);
}
