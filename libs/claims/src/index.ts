export { ClaimsError, type ClaimsErrorCode } from './errors.ts';
export {
  ClaimsClient,
  type ClaimOutcome,
  type ClaimsClientOptions,
  type RequestOptions,
} from './claims-client.ts';
