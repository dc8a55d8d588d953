import { nestConformance } from './apps/nest-app.js';

nestConformance('nest 11');
