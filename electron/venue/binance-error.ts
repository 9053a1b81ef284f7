import { SimError } from '../engine/sim/types';
import { errorMessage } from '../../shared/error-message';

/**
 * A request the venue refuses, carried to the wire exactly as Binance does:
 * an HTTP status and a body `{"code": -XXXX, "msg": "..."}`.
 */
export class VenueError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'VenueError';
  }

  body(): { code: number; msg: string } {
    return { code: this.code, msg: this.message };
  }
}

/** Binance's own codes and wording for the refusals the venue makes itself (the core brings the rest as SimError). */
export const binanceErrors = {
  unknownError: (detail: string) => new VenueError(400, -1000, detail),
  tooManyRequests: () =>
    new VenueError(429, -1003, 'Too many requests; current limit of IP(127.0.0.1) is 2400 requests per minute. Please use the websocket for live updates to avoid polling the API.', {
      'Retry-After': '1',
    }),
  timestampOutsideRecvWindow: () => new VenueError(400, -1021, 'Timestamp for this request is outside of the recvWindow.'),
  timestampAhead: () => new VenueError(400, -1021, "Timestamp for this request was 1000ms ahead of the server's time."),
  badSignature: () => new VenueError(400, -1022, 'Signature for this request is not valid.'),
  illegalCharacters: (name: string) =>
    new VenueError(400, -1100, `Illegal characters found in parameter '${name}'; legal range is '^([0-9]{1,20})(\\.[0-9]{1,20})?$'.`),
  mandatoryParameter: (name: string) => new VenueError(400, -1102, `Mandatory parameter '${name}' was not sent, was empty/null, or malformed.`),
  eitherParameter: (a: string, b: string) => new VenueError(400, -1102, `Param '${a}' or '${b}' must be sent, but both were empty/null!`),
  invalidTimeInForce: () => new VenueError(400, -1115, 'Invalid timeInForce.'),
  invalidOrderType: () => new VenueError(400, -1116, 'Invalid orderType.'),
  invalidSide: () => new VenueError(400, -1117, 'Invalid side.'),
  invalidInterval: () => new VenueError(400, -1120, 'Invalid interval.'),
  invalidSymbol: () => new VenueError(400, -1121, 'Invalid symbol.'),
  invalidListenKey: () => new VenueError(400, -1125, 'This listenKey does not exist.'),
  invalidParameterData: (name: string) => new VenueError(400, -1130, `Data sent for parameter '${name}' is not valid.`),
  recvWindowTooLarge: () => new VenueError(400, -1131, 'recvWindow must be less than 60000'),
  unknownOrder: () => new VenueError(400, -2011, 'Unknown order sent.'),
  orderDoesNotExist: () => new VenueError(400, -2013, 'Order does not exist.'),
  apiKeyFormatInvalid: () => new VenueError(401, -2014, 'API-key format invalid.'),
  invalidApiKey: () => new VenueError(401, -2015, 'Invalid API-key, IP, or permissions for action.'),
  invalidWorkingType: () => new VenueError(400, -4031, 'Invalid workingType.'),
  noNeedToChangePositionSide: () => new VenueError(400, -4059, 'No need to change position side.'),
  positionSideMismatch: () => new VenueError(400, -4061, "Order's position side does not match user's setting."),
  useAlgoEndpoint: () => new VenueError(400, -4120, 'Order type not supported for this endpoint. Please use the Algo Order API endpoints instead.'),
  notFound: (path: string) => new VenueError(404, -5000, `Path ${path}, Method not supported or not found.`),
} as const;

/** Any thrown value as the error the venue answers with: the core's SimError keeps its Binance code. */
export function toVenueError(error: unknown): VenueError {
  if (error instanceof VenueError) return error;
  if (error instanceof SimError) return new VenueError(400, error.code, error.message);
  const message = errorMessage(error);
  return new VenueError(500, -1000, `An unknown error occured while processing the request. ${message}`);
}
