import Koa from 'koa';
import { koaConformance } from './apps/koa-app.js';

koaConformance('koa 3', Koa);
