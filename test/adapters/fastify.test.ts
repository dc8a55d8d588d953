import Fastify from 'fastify';
import { fastifyConformance } from './apps/fastify-app.js';

fastifyConformance('fastify 5', Fastify);
