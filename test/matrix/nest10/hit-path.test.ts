import '../../../packages/nest/test/hit-path.test.js';
