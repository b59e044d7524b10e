import { SetMetadata } from '@nestjs/common';

export const PUBLIC_KEY = 'kv:public';

/** Marks a route that needs no token (health, metrics); every other route must declare permissions. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_KEY, true);
