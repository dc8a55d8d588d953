const { createCache } = require('@cachette/core');
const { cachePage, varyOnHeaders } = require('@cachette/express');
const express = require('express');

const cache = createCache();
const app = express();
let renders = 0;
app.get('/greeting', varyOnHeaders('Accept-Language'), cachePage('1m', { cache }), (req, res) => {
  res.type('text/plain').send(`hello ${req.get('accept-language')} #${++renders}`);
});
app.get('/stats', (_req, res) => res.json(cache.stats()));
const server = app.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => console.log(`listening ${server.address().port}`));
