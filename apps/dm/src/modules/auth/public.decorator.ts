import { SetMetadata } from '@nestjs/common';

/** The metadata key that marks a route as reachable without a session. */
export const IS_PUBLIC_KEY = 'flotilla:isPublic';

/** Marks a route as reachable without a session or token (login, health, metrics). */
export const Public = () => SetMetadata(IS_PUBLIC_KEY, true);
