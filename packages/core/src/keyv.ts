// @cachette/core/keyv: any Keyv store as a tier; importing it loads Keyv, nothing else does
export { type KeyvStoreOptions, keyvStore } from './stores/keyv-store.js';
