import { createCache } from '@cachette/core';
import { cachePage, varyOnHeaders } from '@cachette/fastify';
import Fastify from 'fastify';

const cache = createCache();
const app = Fastify();
let renders = 0;
app.get('/greeting', { onRequest: [varyOnHeaders('Accept-Language'), cachePage('1m', { cache })] }, async (request, reply) => {
  reply.type('text/plain');
  return `hello ${request.headers['accept-language']} #${++renders}`;
});
app.get('/stats', async () => cache.stats());
await app.listen({ port: Number(process.env.PORT ?? 0), host: '127.0.0.1' });
console.log(`listening ${app.server.address().port}`);
