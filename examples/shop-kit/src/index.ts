export { createShopCache, type ShopCacheOptions } from './cache.js';
export { Catalogue, type Product } from './catalogue.js';
