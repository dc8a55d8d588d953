import { app } from './app.js';

app.listen(3000, '127.0.0.1', () => console.log('try: curl -i http://127.0.0.1:3000/products/1'));
