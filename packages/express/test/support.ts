// one helper for every adapter's tests: listens on 127.0.0.1, port 0, and closes every connection
export { listenOn as listen } from '../../core/test/node/support.js';
