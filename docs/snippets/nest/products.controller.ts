import { CachePage } from '@cachette/nest';
import { Controller, Get, Param } from '@nestjs/common';

@Controller('products')
export class ProductsController {
  // the page of each product is stored for 15 minutes; Cache-Status says what the cache did
  @Get(':id')
  @CachePage('15m', { cacheStatus: 'cachette' })
  product(@Param('id') id: string) {
    return { id, name: `Product ${id}`, renderedAt: new Date().toISOString() };
  }
}
