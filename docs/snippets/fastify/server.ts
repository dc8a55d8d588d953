import { app } from './app.js';

await app.listen({ port: 3000, host: '127.0.0.1' });
console.log('try: curl -i http://127.0.0.1:3000/products/1');
