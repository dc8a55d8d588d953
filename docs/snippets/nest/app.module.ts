import { CachetteModule } from '@cachette/nest';
import { Module } from '@nestjs/common';
import { ProductsController } from './products.controller.js';

@Module({
  imports: [CachetteModule.forRoot({ namespace: 'shop' })], // one bounded memory tier, TTL 5 minutes
  controllers: [ProductsController],
})
export class AppModule {}
