import { server } from './app.js';

server.listen(3000, '127.0.0.1', () => console.log('try: curl -i http://127.0.0.1:3000/products/1'));
