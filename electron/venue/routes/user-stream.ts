import type { Route } from '../router';
import type { VenueContext } from './venue-context';

/** /fapi/v1/listenKey: create (or return the active key), keep alive, close. */
export function userStreamRoutes(ctx: VenueContext): Route[] {
  return [
    { method: 'POST', path: '/fapi/v1/listenKey', security: 'USER_STREAM', handle: () => ({ listenKey: ctx.listenKeys.create() }) },
    { method: 'PUT', path: '/fapi/v1/listenKey', security: 'USER_STREAM', handle: () => ({ listenKey: ctx.listenKeys.keepAlive() }) },
    {
      method: 'DELETE',
      path: '/fapi/v1/listenKey',
      security: 'USER_STREAM',
      handle: () => {
        ctx.listenKeys.close();
        return {};
      },
    },
  ];
}
