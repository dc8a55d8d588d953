import { createServer } from 'node:http';
import type Koa from 'koa';
import { listenOn } from '../../core/test/node/support.js';

/** Serves a Koa app on 127.0.0.1, port 0; returns the base URL and a close(). */
export function listen(app: Koa): ReturnType<typeof listenOn> {
  return listenOn(createServer(app.callback()));
}
