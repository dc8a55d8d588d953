export { applyPass } from './apply-pass.js';
export { type CaptureOptions, captureResponse } from './capture-response.js';
export { beforeHeaders, runHeaderHooks } from './header-hooks.js';
export { onFinished } from './on-finished.js';
export { type NodePageRequestExtra, nodePageRequest } from './page-request.js';
export { addVary, applyCacheControl, applyNeverCache, headerText, responseHeaders } from './response-headers.js';
export { sendPageLater } from './send-later.js';
export { applyWriteHead, type WriteHeadArgs } from './write-head.js';
export { type ResponseMethods, sendPage, writePage } from './write-page.js';
