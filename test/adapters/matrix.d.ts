// The older majors of the version matrix, installed under aliases; typed as the current ones,
// since the adapters are typed against those and the harness uses what both have.
declare module 'express4' {
  import express from 'express';
  export default express;
}
declare module 'koa2' {
  import Koa from 'koa';
  export default Koa;
}
