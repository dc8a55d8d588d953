import type { Cache } from '@cachette/core';
import { CachePage, CacheTags, InjectCache, NeverCache, VaryOnHeaders } from '@cachette/nest';
import { Body, Controller, Get, Headers, Inject, NotFoundException, Param, Post } from '@nestjs/common';
import { ProductsService } from './products.service.js';

const GREETING: Record<string, string> = { en: 'Welcome', fr: 'Bienvenue' };

@Controller()
export class ProductsController {
  constructor(
    @Inject(ProductsService) private readonly products: ProductsService,
    @InjectCache() private readonly cache: Cache,
  ) {}

  /** The home page varies on language: one stored page per Accept-Language. */
  @Get()
  @CachePage('10m')
  @VaryOnHeaders('Accept-Language')
  home(@Headers('accept-language') language = 'en') {
    return { greeting: GREETING[language.slice(0, 2)] ?? GREETING.en };
  }

  /** A product page, tagged so that an update of the product drops it. */
  @Get('products/:id')
  @CachePage('15m', { staleWhileRevalidate: '1m' })
  @CacheTags((req) => [`product:${req.params?.id}`])
  async product(@Param('id') id: string) {
    const product = await this.products.find(id);
    if (!product) throw new NotFoundException();
    const related = await this.cache.fragment('related', [id], () => `<ul><li>More like ${product.name}</li></ul>`, {
      tags: [`product:${id}`],
    });
    return { product, related };
  }

  /** Stock changes by the second: never cached by anyone. */
  @Get('stock')
  @NeverCache()
  stock() {
    return { at: new Date().toISOString() };
  }

  @Post('products/:id/price')
  async updatePrice(@Param('id') id: string, @Body() body: { price?: number }) {
    const product = await this.products.updatePrice(id, Number(body?.price));
    if (!product) throw new NotFoundException();
    return product;
  }
}
