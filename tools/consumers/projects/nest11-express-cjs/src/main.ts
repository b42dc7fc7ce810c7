import { NestFactory } from '@nestjs/core';
import { listenWithLifecycle } from '@stayup/nest-lifecycle';
import { AppModule } from './app.module';

async function bootstrap() {
  const app = await NestFactory.create(AppModule);
  const url = await listenWithLifecycle(app, process.env.PORT ?? 3000);
  console.log(`listening on ${url}`);
}
void bootstrap();
