import { runDemo } from './demo.js';

const steps = await runDemo();
for (const { step, value, ms } of steps) {
  console.log(`${step.padEnd(46)} ${String(ms).padStart(8)} ms  ${JSON.stringify(value)}`);
}
