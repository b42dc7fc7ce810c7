import { Module } from '@nestjs/common';
import { LifecycleModule, lifecycleOptionsFromEnv } from '@stayup/nest-lifecycle';
import { AppController } from './app.controller';

@Module({
  imports: [LifecycleModule.forRoot({ ...lifecycleOptionsFromEnv() })],
  controllers: [AppController],
})
export class AppModule {}
