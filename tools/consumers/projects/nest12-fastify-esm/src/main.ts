import { listenWithLifecycle } from '@stayup/nest-lifecycle';
import { createApp } from './create-app.js';

const app = await createApp();
const url = await listenWithLifecycle(app, process.env.PORT ?? 3000);
console.log(`listening on ${url}`);
